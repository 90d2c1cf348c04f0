from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="login"),
    path("sign-out/", views.sign_out, name="logout"),
    path("two-factor/", views.two_factor_step, name="two-factor"),
    path("backup-codes/", views.backup_codes, name="backup_codes"),
]

# Users and roles (accounts.views_users): manage_users, and the invitation's set-password page.
from accounts import views_users  # noqa: E402

urlpatterns += [
    path("users/", views_users.user_list, name="users"),
    path("users/<int:user_id>/", views_users.user_detail, name="user"),
    path("users/<int:user_id>/active/", views_users.user_active, name="user_active"),
    path("users/<int:user_id>/invite/", views_users.user_resend_invitation, name="user_invite"),
    path(
        "users/<int:user_id>/two-factor/reset/",
        views_users.user_reset_two_factor,
        name="user_reset_two_factor",
    ),
    path("set-password/<str:uidb64>/<str:token>/", views_users.set_password, name="set_password"),
]
