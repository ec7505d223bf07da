"""Unfold configuration. Dynamic parts are callbacks so settings import no Django code."""

UNFOLD = {
    "SITE_TITLE": "One MST",
    "SITE_HEADER": "One MST",
    "SITE_SUBHEADER": "Nền tảng quản lý, điều hành",
    "SITE_SYMBOL": "hub",
    "SHOW_HISTORY": True,
    "SHOW_LANGUAGES": True,
    "DASHBOARD_CALLBACK": "admin_theme.dashboard.dashboard_callback",
    "SIDEBAR": {
        "show_search": True,
        "show_all_applications": False,
        "navigation": "admin_theme.sidebar.navigation",
    },
}
