"""What every public event schema shares: dumping from a domain event, loading leniently."""
from marshmallow import EXCLUDE, Schema, fields, pre_dump


class EventData(Schema):
    """The `data` of one public event type. Producers dump a domain event through it (only the
    fields declared here leave the service); consumers load with it, ignoring fields added later
    (adding an optional field keeps the version)."""

    TYPE: str = ""
    # wire field -> domain event attribute (or a function of the event), where they differ
    FROM_EVENT: dict = {}
    # dict attributes of the event whose keys also fill fields (e.g. an application's "summary")
    FROM_NESTED: tuple = ("summary", "unit")

    class Meta:
        unknown = EXCLUDE
        ordered = True

    @pre_dump
    def _from_domain_event(self, event, **kwargs):
        if isinstance(event, dict):
            return event
        data = {}
        for name in self.fields:
            source = self.FROM_EVENT.get(name, name)
            if callable(source):
                data[name] = source(event)
            elif hasattr(event, source):
                data[name] = getattr(event, source)
            else:
                for nested in self.FROM_NESTED:
                    values = getattr(event, nested, None)
                    if isinstance(values, dict) and source in values:
                        data[name] = values[source]
        return data


class Entry(Schema):
    """A unit as listed on a public notice."""

    class Meta:
        unknown = EXCLUDE

    application_id = fields.UUID(required=True)
    review_id = fields.UUID(required=True)
    unit_name = fields.String(required=True)
    unit_type = fields.String(required=True)
    subtype = fields.String(load_default=None, allow_none=True)
    region_code = fields.String(required=True)
    credit_code = fields.String(required=True)
    program_id = fields.String(required=True)
    round_id = fields.UUID(load_default=None, allow_none=True)
    achievements = fields.String(load_default="")
    mean_score = fields.Decimal(load_default=None, allow_none=True, as_string=True,
                                metadata={"description": "the expert panel's mean score (a grading program grades by it)"})


class StatisticalReport(Schema):
    """A certified unit's yearly figures and declarations, as its program's criteria read them."""

    class Meta:
        unknown = EXCLUDE

    year = fields.Integer(required=True)
    figures = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)
    declarations = fields.Dict(keys=fields.String(), values=fields.Boolean(), required=True)
    submitted_on = fields.Date(required=True)
