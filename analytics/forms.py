"""The analytics page's filters: the API's (platform, dates, post id), for people."""

from django import forms

from accounts.models import Provider


class AnalyticsFilterForm(forms.Form):
    platform = forms.ChoiceField(label="Network", required=False, choices=[("", "All networks"), *Provider.choices])
    from_date = forms.DateField(label="Published from", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    to_date = forms.DateField(label="Published until", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    post_id = forms.CharField(label="Post id", required=False, max_length=200)
    days = forms.TypedChoiceField(
        label="Charts over",
        coerce=int,
        required=False,
        empty_value=30,
        initial=30,
        choices=[(7, "7 days"), (30, "30 days"), (90, "90 days")],
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("from_date") and cleaned.get("to_date") and cleaned["from_date"] > cleaned["to_date"]:
            self.add_error("from_date", "Must not be after the end date.")
        return cleaned
