"""Planted staff and credit records (DOMAIN.md §5 R9, §13): a public-sector staff member listed
for serious dishonesty, a private-sector employee, and one enterprise's credit commitments and
interviews in every state (open, fulfilled, breached, overdue; rectified, unrectified)."""

from __future__ import annotations

from datetime import date

from tracer.loaders.generate.listing import make_listing, write_finding
from tracer.loaders.generate.planted import PlantedCase, Planter, _industry, _p
from tracer.loaders.generate.world import Org, Person, World

#: Organisations these cases write (on top of ``PLANTED_ENTERPRISES``).
CREDIT_ENTERPRISES = 2


def plant_credit(world: World) -> list[PlantedCase]:
    """Write the staff-notification and credit-record cases; returns their descriptions."""
    planter = Planter(world)
    staff, private = staff_notification(planter)
    return [staff, credit_records(planter, private)]


def _employ(
    world: World, person: Person, employer: Org, public: bool, start: date, end: date | None = None
) -> None:
    world.sink.emit_row(
        "employments",
        {
            "id_type": person.id_type,
            "id_number": person.id_number,
            "employer_kind": "ENTERPRISE",
            "employer_id": employer.uscc,
            "public_sector": "true" if public else "false",
            "start_date": start.isoformat(),
            "end_date": end.isoformat() if end else None,
        },
    )


def staff_notification(pl: Planter) -> tuple[PlantedCase, Org]:
    """R9: a state-owned enterprise's employee listed for serious dishonesty (the employer and
    the departments over it are notified); an earlier private-sector job is not. Returns the
    case and the private employer."""
    world = pl.world
    district = world.district()
    sasac = world.directory.upper("SASAC", district)
    established = pl.ago(6000)
    soe = world.new_org(
        "ENTERPRISE",
        f"{district.town}水务集团有限公司",
        district,
        established,
        "STATE",
        superior=sasac.code,
        industry=_industry("房地产开发"),
    )
    head = pl.person(established)
    pl.head(soe, head, established)
    world.own(soe, "DEPARTMENT", sasac.code, 10_000, established)
    staff = pl.person(established)
    _employ(world, staff, soe, True, pl.ago(3000))
    private = pl.org("餐饮管理", pl.ago(2500))
    pl.head(private, pl.person(private.established), private.established)
    _employ(world, staff, private, False, pl.ago(2400), pl.ago(2000))
    listing = make_listing(
        world, soe, "SERIOUS_DISHONESTY", pl.ago(200), pl.ago(260), "ACTIVE", "MARKET_ORDER",
        stated=True,
    )  # fmt: skip
    finding = write_finding(world, "PERSON", staff.id_number, listing)
    world.publish(soe)
    world.publish(private)
    case = PlantedCase(
        id="STAFF_NOTIFICATION",
        title="国有企业工作人员严重失信，通报所在单位及纪检监察、组织人事部门",
        demonstrates="R9: a finding against a public-sector staff member notifies the employer "
        "and the discipline-inspection and organisation/personnel departments over it (reported "
        "missing where none is on record); the earlier private-sector job notifies nobody",
        enterprises={"employer": soe.uscc, "former_private_employer": private.uscc},
        persons=[_p("staff_member", staff)],
        findings={"person_listing": finding},
        facts={"superior_department": sasac.code},
    )
    return case, private


def credit_records(pl: Planter, org: Org) -> PlantedCase:
    """Commitments and interviews of ``org``, received and held by its district's market
    supervision bureau."""
    world = pl.world
    uscc = org.uscc
    department = world.directory.local("MARKET_SUPERVISION", org.district).code
    states = (
        ("OPEN", pl.ago(100), pl.ago(-200), None, None),
        ("FULFILLED", pl.ago(900), pl.ago(600), pl.ago(650), None),
        ("BREACHED", pl.ago(700), pl.ago(400), None, pl.ago(450)),
        ("OVERDUE", pl.ago(500), pl.ago(120), None, None),
    )
    ids: dict[str, str] = {}
    for state, committed, due, fulfilled, breached in states:
        ids[f"commitment_{state.lower()}"] = record_id = f"CMT-{uscc[-8:]}-{state}"
        world.sink.emit_row(
            "commitments",
            {
                "commitment_id": record_id,
                "subject_kind": "ENTERPRISE",
                "subject_id": uscc,
                "matter": "告知承诺：食品经营许可证",
                "department": department,
                "committed_on": committed.isoformat(),
                "due_on": due.isoformat(),
                "fulfilled_on": fulfilled.isoformat() if fulfilled else None,
                "breached_on": breached.isoformat() if breached else None,
            },
        )
    interviews = (
        ("RECTIFIED", "PROMPT", pl.ago(800), pl.ago(770), pl.ago(775)),
        ("UNRECTIFIED", "WARNING", pl.ago(300), pl.ago(240), None),
    )
    for state, kind, held, deadline, rectified in interviews:
        ids[f"interview_{state.lower()}"] = record_id = f"ITV-{uscc[-8:]}-{state}"
        world.sink.emit_row(
            "interviews",
            {
                "interview_id": record_id,
                "subject_kind": "ENTERPRISE",
                "subject_id": uscc,
                "department": department,
                "kind": kind,
                "held_on": held.isoformat(),
                "rectify_by": deadline.isoformat(),
                "rectified_on": rectified.isoformat() if rectified else None,
            },
        )
    return PlantedCase(
        id="CREDIT_RECORDS",
        title="信用承诺与约谈：违诺、逾期未履行、警示约谈逾期未整改",
        demonstrates="credit commitments and interviews flagged BREACHED, OVERDUE and "
        "UNRECTIFIED in the enterprise profile; the breach and the unrectified WARNING "
        "interview are bad records that keep it out of the green channel",
        enterprises={"subject": uscc},
        persons=[],
        findings={},
        facts={"department": department, **ids},
    )
