"""The notify service's page: deliveries that failed for good (given up after their retries),
for the province to read and send again."""
from datetime import datetime, timezone

from shared.http import path_id
from shared.web import form_data, page, redirect, render, signed_in

from services.notify.domain import GIVEN_UP


class NotifyPages:
    @page("GET", "/operator/deliveries/", roles=("operator", "auditor"))
    def failed_deliveries_page(self, request):
        return render("deliveries.html", dispatches=self.app.dispatches(GIVEN_UP))

    @page("POST", "/operator/deliveries/<string:dispatch_id>/resend", roles={"operator"})
    def resend_page(self, request, dispatch_id):
        form_data(request, set())
        # retries run on real time, not the business clock, as the dispatcher's do
        self.app.resend(path_id(dispatch_id, "dispatch"), by=signed_in(request).subject, at=datetime.now(timezone.utc))
        return redirect("/operator/deliveries/?resent=1")
