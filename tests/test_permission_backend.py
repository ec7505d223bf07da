"""Role permissions are read in one query, from the user's own and their groups' grants."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def test_user_and_group_permissions_in_one_query():
    user = User.objects.create_user("mixed", password="pass12345")
    group = Group.objects.create(name="reviewers")
    group.permissions.add(Permission.objects.get(codename="view_group"))
    user.groups.add(group)
    user.user_permissions.add(Permission.objects.get(codename="change_user"))
    user = User.objects.get(pk=user.pk)  # no cached permissions
    with CaptureQueriesContext(connection) as queries:
        assert user.has_perm("auth.view_group")  # through the group
        assert user.has_perm("auth.change_user")  # granted directly
        assert not user.has_perm("auth.delete_user")
    assert len(queries) == 1


def test_inactive_users_hold_no_permission():
    user = User.objects.create_user("gone", password="pass12345", is_active=False)
    user.user_permissions.add(Permission.objects.get(codename="change_user"))
    assert not User.objects.get(pk=user.pk).has_perm("auth.change_user")
