"""The admin: Unfold theme, generated ModelAdmins, sidebar and dashboard."""
