from django.urls import path

from accounts.views import invitation, sign_in, users

app_name = "accounts"
urlpatterns = [
    path("sign-in/", sign_in.sign_in, name="login"),
    path("sign-out/", sign_in.sign_out, name="logout"),
    path("two-factor/", sign_in.two_factor_step, name="two-factor"),
    path(
        "two-factor/enrol/<str:uidb64>/<str:token>/",
        invitation.open_set_up_link,
        name="open_set_up_link",
    ),
    path("backup-codes/", sign_in.backup_codes, name="backup_codes"),
    # Users and roles (manage_users), and the invitation's set-password page.
    path("users/", users.user_list, name="users"),
    path("users/<int:user_id>/", users.user_detail, name="user"),
    path("users/<int:user_id>/active/", users.user_active, name="user_active"),
    path("users/<int:user_id>/invite/", users.user_resend_invitation, name="user_invite"),
    path(
        "users/<int:user_id>/two-factor/reset/",
        users.user_reset_two_factor,
        name="user_reset_two_factor",
    ),
    # The emailed link's token moves into the session at once (see invitation.py).
    path(
        "set-password/<str:uidb64>/<str:token>/",
        invitation.open_invitation,
        name="open_invitation",
    ),
    path("set-password/", invitation.set_password, name="set_password"),
]
