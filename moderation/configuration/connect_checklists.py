"""What a council must set up on each platform before "Connect" works: the in-app checklist on
Settings → Channels → Connect. `docs/connectors.md` ("Setting up each platform") says the same at
more length; keep the two together."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

CHECKLISTS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "facebook": (
            "A Meta developer app of type Business (developers.facebook.com), with the product "
            "Facebook Login for Business; its App ID and App Secret go in FACEBOOK_CLIENT_ID "
            "and FACEBOOK_CLIENT_SECRET.",
            "Add the console's callback address to the app's Valid OAuth Redirect URIs.",
            "Permissions: pages_show_list, pages_read_engagement, pages_read_user_content, "
            "pages_manage_engagement, pages_manage_metadata, business_management. Anyone outside "
            "the app's own roles needs them approved in App Review (with Business Verification).",
            "The person connecting needs the Moderate task (or full control) on the Page.",
            "No charge from Meta.",
        ),
        "instagram": (
            "The Instagram account must be a professional (business or creator) account linked "
            "to a Facebook Page.",
            "Same Meta app as Facebook, plus instagram_basic and instagram_manage_comments "
            "(App Review for use beyond the app's roles).",
            "Sign in as someone with the Moderate task on the linked Page.",
        ),
        "instagram_login": (
            "A Meta app with the product Instagram API with Instagram Login; its Instagram app "
            "ID and secret go in INSTAGRAM_CLIENT_ID and INSTAGRAM_CLIENT_SECRET.",
            "Permissions: instagram_business_basic, instagram_business_manage_comments "
            "(App Review beyond the app's roles).",
            "The token lasts 60 days and the console renews it by itself.",
        ),
        "threads": (
            "A Meta app with the Threads use case; its Threads app ID and secret go in "
            "THREADS_CLIENT_ID and THREADS_CLIENT_SECRET.",
            "Permissions: threads_basic, threads_read_replies, threads_manage_replies (App "
            "Review beyond the app's testers).",
            "The token lasts 60 days and the console renews it by itself.",
        ),
        "youtube": (
            "A Google Cloud project with the YouTube Data API v3 enabled, an OAuth client of "
            "type Web application (YOUTUBE_CLIENT_ID, YOUTUBE_CLIENT_SECRET) and the callback "
            "address as an authorised redirect URI.",
            "Scope youtube.force-ssl is sensitive: publish the consent screen and pass Google's "
            "verification; while the app is in Testing, Google ends refresh tokens after 7 days.",
            "Quota: 10,000 units a day by default; each hide or reply costs 50.",
            "Sign in with the Google account that owns (or manages) the channel.",
        ),
        "x": (
            "An X developer account and project app with OAuth 2.0 turned on, type Web App "
            "(confidential: X_CLIENT_ID and X_CLIENT_SECRET) and the callback address.",
            "X's API is paid: reading mentions needs at least the Basic tier (a monthly fee, "
            "with a monthly cap on posts read). Blocking needs Enterprise.",
            "Scopes: tweet.read, users.read, tweet.write, tweet.moderate.write, mute.write, "
            "offline.access.",
        ),
        "linkedin": (
            "A LinkedIn developer app verified by the council's LinkedIn Page, with the "
            "Community Management API product approved (LINKEDIN_CLIENT_ID, "
            "LINKEDIN_CLIENT_SECRET) and the callback address.",
            "Scopes: r_organization_social, w_organization_social, rw_organization_admin.",
            "The person connecting must be a Super or Content admin of the Page.",
            "Tokens last 60 days and most apps get no refresh token: the console warns admins "
            "14, 7 and 1 days before someone must reconnect.",
        ),
        "tiktok": (
            "A TikTok for Business developer app with the TikTok Accounts API "
            "(TIKTOK_CLIENT_ID is its app_id, TIKTOK_CLIENT_SECRET its secret) and the callback "
            "address as the TikTok account holder redirect URL.",
            "The account must be a TikTok Business account.",
            "UNVERIFIED: TikTok documents these endpoints only for approved partners; try it "
            "on a real account before relying on it.",
        ),
        "mastodon": (
            "Nothing to register beforehand: the console registers itself on the instance when "
            "you connect.",
            "Sign in as the council's account on its instance.",
        ),
        "bluesky": (
            "No developer app is needed: the console publishes its own client details at "
            "PUBLIC_URL/oauth/bluesky/client-metadata.json, which Bluesky reads when you sign in.",
            "Sign in on Bluesky as the council's account and allow the console access.",
            "Without sign-in (PUBLIC_URL unset), or as a fallback: in the Bluesky app, Settings → "
            "Privacy and security → App passwords → Add. Name it after this console; do not use "
            "the account's own password.",
        ),
    }
)
