from django.urls import path

from steward.identity import views

app_name = "identity"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("language/", views.language_switch, name="language"),
    path("me/", views.profile, name="profile"),
    path("me/password/", views.password_change, name="password"),
    path("me/tokens/", views.token_create, name="token_create"),
    path("me/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
