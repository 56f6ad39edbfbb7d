from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django_otp import match_token
from import_export.forms import ConfirmImportForm

from catalogue.text import RefusesControlCharacters

from . import twofactor


class StaffAuthenticationForm(AdminAuthenticationForm):
    """The admin login, with the code of a second factor for staff who have one or must."""

    otp_token = forms.CharField(
        label=_("Two-factor code"),
        required=False,
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_("From your authenticator app. Leave empty if you have not set up two-factor authentication."),
    )

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "otp_missing_device": _(
            "Your account must use two-factor authentication, and no device is set up for it yet. "
            "Ask an administrator to add one."
        ),
        "otp_required": _("Enter the code that your authenticator app shows."),
        "otp_invalid": _("That two-factor code is not right or has expired. Enter the current one."),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        token = self.cleaned_data.get("otp_token", "").strip()
        if not twofactor.has_device(user):
            if twofactor.is_required(user):
                raise ValidationError(self.error_messages["otp_missing_device"], code="otp_missing_device")
            return
        if not token:
            raise ValidationError(self.error_messages["otp_required"], code="otp_required")
        device = match_token(user, token)
        if device is None:
            raise ValidationError(self.error_messages["otp_invalid"], code="otp_invalid")
        # django_otp marks the session as verified with this device when the login completes.
        user.otp_device = device


class LockingForm(RefusesControlCharacters, forms.ModelForm):
    """
    A change form that refuses to save over a newer version of its record: it carries the
    record's lock_version from when it was opened, and the save is refused if the record
    has been saved since. The row is locked while the form is checked and saved, so two
    saves at the same moment cannot both pass. A change form sent without the version is
    refused too: whatever it would save, its sender cannot have seen it.
    """

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_version"].initial = self.instance.lock_version

    def clean(self):
        cleaned_data = super().clean()
        if self.instance._state.adding:
            return cleaned_data
        if self.add_prefix("opened_version") not in self.data:
            raise ValidationError(
                _(
                    "This form does not say which version of the record it was opened on, and your "
                    "changes were not saved. Reload the page, then make your changes again."
                ),
                code="no_version",
            )
        model = type(self.instance)
        current = (
            model._base_manager.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("lock_version", flat=True)
            .first()
        )
        if current is None:
            raise ValidationError(_("This record has been deleted since you opened it."), code="deleted")
        if cleaned_data.get("opened_version") != current:
            raise ValidationError(self.stale_message(model), code="stale")
        return cleaned_data

    def stale_message(self, model):
        last = (
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(model),
                object_id=str(self.instance.pk),
                action_flag=CHANGE,
            )
            .select_related("user")
            .order_by("-action_time")
            .first()
        )
        if last is None:
            return _(
                "This record was changed by someone else after you opened it, and your changes were not "
                "saved. Reload the page to see the current version, then make your changes again."
            )
        return _(
            "%(user)s changed this record at %(time)s, after you opened it, and your changes were not saved. "
            "Reload the page to see their version, then make your changes again."
        ) % {
            "user": last.user.get_username(),
            "time": formats.date_format(last.action_time, "DATETIME_FORMAT"),
        }


class ImportConfirmForm(ConfirmImportForm):
    """
    The confirmation of an import's preview. It carries, signed, the state in which the
    preview found the record of each row (editorial.resources.CatalogueResource), so that
    the import can refuse a row whose record has changed since.
    """

    previewed_states = forms.CharField(widget=forms.HiddenInput, required=False)
    salt = "editorial.import.previewed_states"

    @classmethod
    def sign(cls, file_name, states):
        return signing.dumps({"file": file_name, "states": states}, salt=cls.salt, compress=True)

    def clean(self):
        cleaned_data = super().clean()
        try:
            signed = signing.loads(cleaned_data.get("previewed_states", ""), salt=self.salt)
        except signing.BadSignature:
            signed = None
        if not isinstance(signed, dict) or signed.get("file") != cleaned_data.get("import_file_name"):
            raise ValidationError(_("This preview can no longer be confirmed. Import the file again."), code="stale")
        cleaned_data["previewed_states"] = signed["states"]
        return cleaned_data
