"""Staff pages for the province's MOUs and awards (administrators and its coordinators)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sujarit.network import actions, queries
from sujarit.network.forms.common import UploadForm, add_errors
from sujarit.network.forms.mous import AwardForm, ContestForm, MouForm
from sujarit.network.models import Award, AwardContest
from sujarit.network.views.common import account, form_page, staff_page


def _province_code() -> str:
    return str(settings.SUJARIT_PROVINCE)


def _ensure_manager(request: HttpRequest) -> None:
    if not queries.can_manage_province_records(account(request), _province_code()):
        raise PermissionDenied


@staff_page
def mou_create(request: HttpRequest) -> HttpResponse:
    _ensure_manager(request)
    form = MouForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            mou = actions.create_mou(values=form.to_input(), by=account(request))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The MOU was recorded."))
            return redirect("network:mou_edit", pk=mou.pk)
    return form_page(
        request,
        form,
        title=_("Record an MOU"),
        submit=_("Record the MOU"),
        cancel_url=reverse("network:mous"),
        status=400 if form.errors else 200,
    )


@staff_page
def mou_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = account(request)
    mou = queries.get_mou_for_edit(user, pk)
    form = MouForm(request.POST or None, instance=mou)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_mou(mou=mou, values=form.to_input(), by=user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The MOU was saved."))
            return redirect("network:mou", pk=mou.pk)
    return render(
        request,
        "network/staff/mou.html",
        {"form": form, "mou": mou, "document_form": UploadForm()},
        status=400 if form.errors else 200,
    )


@staff_page
@require_POST
def mou_document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = account(request)
    mou = queries.get_mou_for_edit(user, pk)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.attach_mou_document(mou=mou, data=form.cleaned_data["file"].read(), by=user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The signed document was stored."))
    else:
        messages.error(request, _("Choose the signed document (PDF, JPEG or PNG)."))
    return redirect("network:mou_edit", pk=mou.pk)


@staff_page
def contests(request: HttpRequest) -> HttpResponse:
    _ensure_manager(request)
    form = ContestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contest = actions.save_contest(
                values=form.to_input(), by=account(request), province_code=_province_code()
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The award contest was recorded."))
            return redirect("network:contest", pk=contest.pk)
    return render(
        request,
        "network/staff/contests.html",
        {"form": form, "contests": AwardContest.objects.order_by("-year", "name_th")},
        status=400 if form.errors else 200,
    )


@staff_page
def contest(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_manager(request)
    item = AwardContest.objects.filter(pk=pk).first()
    if item is None:
        raise Http404("No such contest")
    form = ContestForm(request.POST or None, instance=item, prefix="contest")
    award_form = AwardForm(prefix="award")
    if request.method == "POST" and "award-organization" in request.POST:
        award_form = AwardForm(request.POST, prefix="award")
        form = ContestForm(instance=item, prefix="contest")
        if award_form.is_valid():
            try:
                actions.add_award(
                    contest=item,
                    organization=award_form.cleaned_data["organization"],
                    category=award_form.cleaned_data["category"],
                    by=account(request),
                    province_code=_province_code(),
                )
            except ValidationError as error:
                add_errors(award_form, error)
            else:
                messages.success(request, _("The award was added."))
                return redirect("network:contest", pk=item.pk)
    elif request.method == "POST" and form.is_valid():
        try:
            actions.save_contest(
                values=form.to_input(),
                by=account(request),
                province_code=_province_code(),
                contest=item,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The award contest was saved."))
            return redirect("network:contest", pk=item.pk)
    return render(
        request,
        "network/staff/contest.html",
        {
            "contest": item,
            "form": form,
            "award_form": award_form,
            "awards": item.awards.select_related("organization").order_by("category"),
        },
        status=400 if (form.errors or award_form.errors) else 200,
    )


@staff_page
@require_POST
def award_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_manager(request)
    award = Award.objects.filter(pk=pk).first()
    if award is None:
        raise Http404("No such award")
    contest_pk = award.contest_id
    actions.remove_award(award=award, by=account(request), province_code=_province_code())
    messages.success(request, _("The award was removed."))
    return redirect("network:contest", pk=contest_pk)


urlpatterns: list[URLPattern] = [
    path("manage/mous/new/", mou_create, name="mou_create"),
    path("manage/mous/<int:pk>/", mou_edit, name="mou_edit"),
    path("manage/mous/<int:pk>/document/", mou_document_upload, name="mou_document_upload"),
    path("manage/awards/", contests, name="contests"),
    path("manage/awards/<int:pk>/", contest, name="contest"),
    path("manage/awards/remove/<int:pk>/", award_remove, name="award_remove"),
]
