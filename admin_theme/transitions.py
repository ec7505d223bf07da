"""Workflow transitions in the admin: the button per transition, its check and its form.

A transition fires through `services.fire_transition`, as on GraphQL, with the version the
form was loaded at.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from unfold.decorators import action
from unfold.enums import ActionVariant
from unfold.widgets import UnfoldAdminTextareaWidget

from admin_theme.errors import LineErrorList
from modules.engine import access, services
from modules.engine.definitions import Entity, Transition
from modules.engine.errors import EngineError, InvalidInput
from modules.engine.errors import PermissionDenied as EnginePermissionDenied
from modules.engine.i18n import bilingual


class TransitionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=bilingual("Ý kiến", "Comment"),
        required=False,
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, needs_comment: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("error_class", LineErrorList)  # each missing document on its own line
        super().__init__(*args, **kwargs)
        self.fields["comment"].required = needs_comment
        if needs_comment:
            self.fields["comment"].help_text = bilingual(
                "Bước chuyển này cần ý kiến.", "This transition needs a comment."
            )


class TransitionsAdminMixin:
    """Workflow transitions as buttons on the change form, each with its own confirm page."""

    def may_fire(self, request: HttpRequest, transition: Transition, object_id: Any = None) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_staff):
            return False
        if object_id is None:
            return user.is_superuser or access.has_role_permission(
                user, self.entity, f"transition:{transition.name}"
            )
        obj = self._visible(request, object_id)
        if obj is None or obj.state not in transition.source:
            return False
        return self._can(request, f"transition:{transition.name}", obj)

    def transition_view(self, request: HttpRequest, object_id: str, transition: Transition) -> HttpResponse:
        obj = self._visible(request, object_id)
        if obj is None:
            raise Http404
        change_url = self._change_url(obj.pk)
        label = bilingual(transition.label_vi, transition.label_en)
        form = TransitionForm(
            request.POST if request.method == "POST" else None,
            needs_comment=transition.needs_comment,
            initial={"version": obj.version},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.fire_transition(
                    self.entity,
                    request.user,
                    obj.pk,
                    transition.name,
                    form.cleaned_data["version"],
                    form.cleaned_data["comment"] or "",
                )
            except InvalidInput as exc:
                for problem in exc.problems:
                    form.add_error("comment" if problem.field == "comment" else None, problem.message)
            except EnginePermissionDenied as exc:
                raise DjangoPermissionDenied(exc.message) from exc
            except EngineError as exc:
                messages.error(request, exc.message)
                return HttpResponseRedirect(change_url)
            else:
                state = self.entity.workflow.state(transition.target)
                messages.success(
                    request,
                    bilingual(
                        f"Đã thực hiện «{transition.label_vi}» cho {obj}; trạng thái: {state.label_vi}.",
                        f"“{transition.label_en}” done for {obj}; state: {state.label_en}.",
                    ),
                )
                still_visible = self.get_queryset(request).filter(pk=obj.pk).exists()
                return HttpResponseRedirect(change_url if still_visible else self._changelist_url())
        context = {
            **self.admin_site.each_context(request),
            "title": label,
            "subtitle": str(obj),
            "opts": self.model._meta,
            "app_label": self.model._meta.app_label,
            "original": obj,
            "transition": transition,
            "transition_label": label,
            "source_label": _state_label(self.entity, obj.state),
            "target_label": _state_label(self.entity, transition.target),
            "form": form,
            "change_url": change_url,
            "cancel_label": bilingual("Huỷ", "Cancel"),
            "has_view_permission": True,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin_theme/transition_form.html", context)


def _state_label(entity: Entity, code: str) -> str:
    state = entity.workflow.state(code)
    return bilingual(state.label_vi, state.label_en)


def _transition_members(transition: Transition) -> dict[str, Any]:
    """The action method (one button) and its permission check for one transition."""
    name = f"transition_{transition.name}"

    def check(self: TransitionsAdminMixin, request: HttpRequest, object_id: Any = None) -> bool:
        return self.may_fire(request, transition, object_id)

    def view(self: TransitionsAdminMixin, request: HttpRequest, object_id: str) -> HttpResponse:
        return self.transition_view(request, object_id, transition)

    view.__name__ = view.__qualname__ = name
    check.__name__ = check.__qualname__ = f"has_{name}_permission"
    button = action(
        description=bilingual(transition.label_vi, transition.label_en),
        url_path=f"transition/{transition.name}",
        permissions=[name],
        icon="undo" if transition.needs_comment else "arrow_forward",
        variant=ActionVariant.PRIMARY,
    )(view)
    return {name: button, f"has_{name}_permission": check}
