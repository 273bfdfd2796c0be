"""Planted investigator cases: small, known situations inside the random world, listed in
``planted_cases.json`` so demos and tests can look them up. Dates are relative to ``as_of``."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel

from tracer.loaders.generate.listing import make_listing, write_finding
from tracer.loaders.generate.names import INDUSTRIES, Industry
from tracer.loaders.generate.world import Org, Person, World, add_years

#: Organisations the planted cases write.
PLANTED_ENTERPRISES = 27


class PlantedPerson(BaseModel):
    """A person of a planted case."""

    role_in_case: str
    id_type: str
    id_number: str
    name: str


class PlantedCase(BaseModel):
    """One planted case: what it demonstrates and the subjects involved."""

    id: str
    title: str
    demonstrates: str
    enterprises: dict[str, str]
    persons: list[PlantedPerson]
    findings: dict[str, str]
    facts: dict[str, str]


def _industry(word: str) -> Industry:
    return next(i for i in INDUSTRIES if i.word == word)


class Planter:
    """Builds the planted cases with the world's primitives."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.as_of = world.as_of

    def ago(self, days: int) -> date:
        """``as_of`` minus ``days``."""
        return self.as_of - timedelta(days=days)

    def org(self, word: str, established: date, status: str = "ACTIVE") -> Org:
        """A new limited company in a random district with the industry ``word``."""
        world = self.world
        district = world.district()
        name = f"{district.short_town}{world.names.brand()}{word}有限公司"
        return world.new_org(
            "ENTERPRISE",
            name,
            district,
            established,
            "PRIVATE",
            industry=_industry(word),
            status=status,
        )

    def person(self, on: date, name: str | None = None) -> Person:
        """A new resident adult on ``on``."""
        return self.world.new_person(on, name=name, resident=True)

    def head(self, org: Org, person: Person, start: date, end: date | None = None) -> None:
        """Legal representative (and general manager) from ``start`` to ``end``."""
        self.world.hold(org, person, "LEGAL_REPRESENTATIVE", start, end)
        self.world.hold(org, person, "GENERAL_MANAGER", start, end)

    def find(
        self,
        org: Org,
        list_type: str,
        act: date | None,
        decided: date,
        status: str = "ACTIVE",
        category: str | None = None,
        ground: str | None = None,
    ) -> str:
        """Write a finding against ``org`` that states its term (the list type's period)."""
        listing = make_listing(
            self.world, org, list_type, decided, act, status, category, ground, stated=True
        )
        return write_finding(self.world, "ENTERPRISE", org.uscc, listing)


def _p(role: str, person: Person) -> PlantedPerson:
    return PlantedPerson(
        role_in_case=role, id_type=person.id_type, id_number=person.id_number, name=person.name
    )


def plant_cases(world: World) -> list[PlantedCase]:
    """Write every planted case; returns their descriptions."""
    planter = Planter(world)
    cases = [
        _ban_breach(planter),
        _phoenix(planter),
        _red_then_listed(planter),
        _deep_pyramid(planter),
        _same_name(planter),
        _appointed_after_act(planter),
        _repeat_offender(planter),
        _cross_holding_cycle(planter),
        _person_defaulter(planter),
        _state_owned(planter),
        _named_controller(planter),
        _under_review(planter),
        _successor_restricted(planter),
    ]
    return cases


def _ban_breach(pl: Planter) -> PlantedCase:
    world = pl.world
    listed = pl.org("食品", pl.ago(3300))
    banned = pl.person(listed.established)
    pl.head(listed, banned, listed.established)
    world.own_by_person(listed, banned, 10_000, listed.established)
    act, decided = pl.ago(1100), pl.ago(1000)
    finding = pl.find(listed, "FOOD_DRUG_SERIOUS", act, decided, ground="LICENCE_REVOKED")
    other = pl.org("商贸", pl.ago(2200))
    previous = pl.person(other.established)
    breach = decided + timedelta(days=200)
    pl.head(other, previous, other.established, breach - timedelta(days=1))
    pl.head(other, banned, breach)
    world.own_by_person(other, previous, 10_000, other.established)
    for org in (listed, other):
        world.publish(org)
    return PlantedCase(
        id="BAN_BREACH",
        title="市场禁入期间担任其他企业法定代表人",
        demonstrates=(
            "R2 market ban with its legal basis (食品安全法 第一百三十五条, five years from the "
            "decision, licence revoked): the legal representative at the act becomes legal "
            "representative of another enterprise during the ban"
        ),
        enterprises={"listed": listed.uscc, "new_post": other.uscc},
        persons=[_p("banned_person", banned), _p("replaced_legal_representative", previous)],
        findings={"listing": finding},
        facts={"appointed_on": breach.isoformat(), "decided_on": decided.isoformat()},
    )


def _phoenix(pl: Planter) -> PlantedCase:
    world = pl.world
    old = pl.org("装饰工程", pl.ago(2900), status="REVOKED")
    boss = pl.person(old.established)
    partner = pl.person(old.established)
    pl.head(old, boss, old.established)
    world.own_by_person(old, boss, 7_000, old.established)
    world.own_by_person(old, partner, 3_000, old.established)
    decided = pl.ago(500)
    finding = pl.find(
        old, "MARKET_SUPERVISION_SERIOUS", pl.ago(700), decided, ground="ABNORMAL_3_YEARS"
    )
    founded = decided + timedelta(days=40)
    new = world.new_org(
        "ENTERPRISE",
        old.name.replace("装饰工程", "建筑装饰"),
        old.district,
        founded,
        "PRIVATE",
        address=old.address,
        industry=old.industry,
    )
    pl.head(new, boss, founded)
    world.own_by_person(new, boss, 7_000, founded)
    world.own_by_person(new, partner, 3_000, founded)
    for org in (old, new):
        world.publish(org)
    return PlantedCase(
        id="PHOENIX",
        title="失信企业“换壳重生”",
        demonstrates="phoenix pattern: the listed enterprise's legal representative, shareholders "
        "and address reappear in a new enterprise founded 40 days after the listing; also an R7 "
        "officer-ban breach (MARKET_SUPERVISION_SERIOUS on ground ABNORMAL_3_YEARS: 3 years "
        "from the listing)",
        enterprises={"listed": old.uscc, "phoenix": new.uscc},
        persons=[_p("legal_representative", boss), _p("shareholder", partner)],
        findings={"listing": finding},
        facts={"address": old.address, "founded_on": founded.isoformat()},
    )


def _red_then_listed(pl: Planter) -> PlantedCase:
    world = pl.world
    org = pl.org("食品", pl.ago(3600))
    boss = pl.person(org.established)
    pl.head(org, boss, org.established)
    world.own_by_person(org, boss, 10_000, org.established)
    granted = pl.ago(800)
    civil = world.directory.local("CIVILISATION_OFFICE", org.district)
    world.honour("ENTERPRISE", org.uscc, "文明单位", civil.code, granted, add_years(granted, 3))
    government = world.directory.local("GOVERNMENT", org.district)
    world.honour(
        "PERSON", boss.id_number, "优秀民营企业家", government.code, granted, add_years(granted, 3)
    )
    finding = pl.find(org, "SERIOUS_DISHONESTY", pl.ago(400), pl.ago(200), category="HEALTH_SAFETY")
    world.publish(org)
    return PlantedCase(
        id="RED_THEN_LISTED",
        title="红名单主体被认定为严重失信",
        demonstrates="conflict alert: an enterprise and its legal representative on the red list "
        "are linked (R3) to a later serious-dishonesty finding; the honours must be revoked",
        enterprises={"listed": org.uscc},
        persons=[_p("legal_representative", boss)],
        findings={"listing": finding},
        facts={"honour": "文明单位", "person_honour": "优秀民营企业家"},
    )


def _deep_pyramid(pl: Planter) -> PlantedCase:
    world = pl.world
    top = pl.person(pl.ago(5000))
    chain: list[Org] = []
    established = pl.ago(4000)
    for layer in range(8):
        org = pl.org("投资管理" if layer < 7 else "物流", established)
        manager = pl.person(established)
        pl.head(org, manager, established)
        if chain:
            world.own_by_org(org, chain[-1], 7_000, established)
        else:
            world.own_by_person(org, top, 6_000, established)
        world.own_by_person(org, pl.person(established), 3_000, established)
        chain.append(org)
        established += timedelta(days=300)
    bottom = chain[-1]
    finding = pl.find(bottom, "JUDGMENT_DEFAULTER", pl.ago(300), pl.ago(150))
    for org in chain:
        world.publish(org)
    return PlantedCase(
        id="DEEP_PYRAMID",
        title="八层股权金字塔顶端的自然人",
        demonstrates="derived actual controller: a natural person controls the bottom enterprise "
        "through seven intermediate holdings (60%, then 70% at each layer; penetrated share "
        "0.6 × 0.7^7 ≈ 4.9%), a candidate only, never liable by inference",
        enterprises={f"layer_{i + 1}": org.uscc for i, org in enumerate(chain)},
        persons=[_p("top_natural_person", top)],
        findings={"bottom_listing": finding},
        facts={"depth": "8", "penetrated_share": f"{0.6 * 0.7**7:.4f}"},
    )


def _same_name(pl: Planter) -> PlantedCase:
    world = pl.world
    listed = pl.org("汽车销售", pl.ago(3000))
    clean = pl.org("信息技术", pl.ago(2500))
    first = pl.person(listed.established, name="王伟")
    second = pl.person(clean.established, name="王伟")
    pl.head(listed, first, listed.established)
    pl.head(clean, second, clean.established)
    world.own_by_person(listed, first, 10_000, listed.established)
    world.own_by_person(clean, second, 10_000, clean.established)
    finding = pl.find(listed, "MAJOR_TAX_VIOLATION", pl.ago(600), pl.ago(420))
    for org in (listed, clean):
        world.publish(org)
    return PlantedCase(
        id="SAME_NAME",
        title="重名不同人",
        demonstrates="names are never an identity: two people named 王伟 with different IDs; only "
        "the legal representative of the listed enterprise is liable",
        enterprises={"listed": listed.uscc, "clean": clean.uscc},
        persons=[_p("liable", first), _p("namesake", second)],
        findings={"listing": finding},
        facts={"name": "王伟"},
    )


def _appointed_after_act(pl: Planter) -> PlantedCase:
    world = pl.world
    org = pl.org("房地产开发", pl.ago(3000))
    old_head = pl.person(org.established)
    act, decided = pl.ago(900), pl.ago(700)
    change = decided + timedelta(days=30)
    new_head = pl.person(change)
    pl.head(org, old_head, org.established, change)
    pl.head(org, new_head, change + timedelta(days=1))
    world.own_by_person(org, old_head, 10_000, org.established)
    finding = pl.find(org, "SERIOUS_DISHONESTY", act, decided, category="MARKET_ORDER")
    world.publish(org)
    return PlantedCase(
        id="APPOINTED_AFTER_ACT",
        title="失信行为发生后才任职的法定代表人",
        demonstrates="time rule: the legal representative at the act is liable; the one appointed "
        "after the act (and after the decision) is only exposed",
        enterprises={"listed": org.uscc},
        persons=[_p("liable_former_head", old_head), _p("exposed_current_head", new_head)],
        findings={"listing": finding},
        facts={"act_date": act.isoformat(), "changed_on": change.isoformat()},
    )


def _repeat_offender(pl: Planter) -> PlantedCase:
    world = pl.world
    words = ("商贸", "建筑劳务", "实业")
    types = ("MAJOR_TAX_VIOLATION", "WAGE_ARREARS", "JUDGMENT_DEFAULTER")
    orgs = [pl.org(word, pl.ago(3200 - 400 * i)) for i, word in enumerate(words)]
    person = pl.person(orgs[0].established)
    findings = {}
    for index, (org, list_type) in enumerate(zip(orgs, types, strict=True)):
        pl.head(org, person, org.established)
        world.own_by_person(org, person, 8_000, org.established)
        decided = pl.ago(1000 - 250 * index)
        findings[list_type] = pl.find(org, list_type, decided - timedelta(days=120), decided)
        if list_type == "WAGE_ARREARS":  # this list names its persons
            world.name_in(findings[list_type], person, "CO_LISTED")
        world.publish(org)
    return PlantedCase(
        id="REPEAT_OFFENDER",
        title="屡犯不改",
        demonstrates="repeat offender: one person is legal representative of three enterprises "
        "on three different lists (named CO_LISTED in the wage-arrears listing)",
        enterprises={f"listed_{i + 1}": org.uscc for i, org in enumerate(orgs)},
        persons=[_p("repeat_offender", person)],
        findings=findings,
        facts={"enterprises": "3"},
    )


def _cross_holding_cycle(pl: Planter) -> PlantedCase:
    world = pl.world
    owner = pl.person(pl.ago(4000))
    orgs = [pl.org("实业", pl.ago(3000 - 200 * i)) for i in range(3)]
    for org in orgs:
        pl.head(org, pl.person(org.established), org.established)
    world.own_by_person(orgs[0], owner, 8_000, orgs[0].established)
    world.own_by_org(orgs[1], orgs[0], 6_000, orgs[1].established)
    world.own_by_org(orgs[2], orgs[1], 5_500, orgs[2].established)
    world.own_by_org(orgs[0], orgs[2], 1_000, orgs[2].established + timedelta(days=100))
    for org in orgs:
        world.publish(org)
    return PlantedCase(
        id="CROSS_HOLDING_CYCLE",
        title="交叉持股形成的环",
        demonstrates="ownership cycle A 60%→ B 55%→ C 10%→ A: penetration terminates; the person "
        "holding 80% of A controls all three",
        enterprises={"a": orgs[0].uscc, "b": orgs[1].uscc, "c": orgs[2].uscc},
        persons=[_p("controller", owner)],
        findings={},
        facts={"cycle": "A->B->C->A"},
    )


def _person_defaulter(pl: Planter) -> PlantedCase:
    world = pl.world
    org = pl.org("餐饮管理", pl.ago(2000))
    person = pl.person(org.established)
    pl.head(org, person, org.established)
    world.own_by_person(org, person, 10_000, org.established)
    district = org.district
    decided = pl.ago(300)
    court = world.directory.local("COURT", district)
    listing = make_listing(
        world, org, "JUDGMENT_DEFAULTER", decided, pl.ago(420), "ACTIVE", stated=True
    )
    listing.authority = court
    listing.exit_restricted = True
    finding = write_finding(world, "PERSON", person.id_number, listing)
    world.publish(org)
    return PlantedCase(
        id="PERSON_DEFAULTER",
        title="自然人失信被执行人",
        demonstrates="a finding against a person directly (subject_kind PERSON) whose court "
        "also restricted exit; the person is also legal representative of a clean enterprise",
        enterprises={"clean": org.uscc},
        persons=[_p("defaulter", person)],
        findings={"person_listing": finding},
        facts={"exit_restricted": "true"},
    )


def _state_owned(pl: Planter) -> PlantedCase:
    world = pl.world
    district = world.district()
    sasac = world.directory.upper("SASAC", district)
    established = pl.ago(5000)
    org = world.new_org(
        "ENTERPRISE",
        f"{district.town}城市建设投资集团有限公司",
        district,
        established,
        "STATE",
        superior=sasac.code,
        industry=_industry("房地产开发"),
    )
    head = pl.person(established)
    pl.head(org, head, established)
    world.own(org, "DEPARTMENT", sasac.code, 10_000, established)
    finding = pl.find(org, "SERIOUS_DISHONESTY", pl.ago(500), pl.ago(350), category="MARKET_ORDER")
    world.publish(org)
    return PlantedCase(
        id="STATE_OWNED_NOTIFICATION",
        title="国有企业严重失信，通报上级主管单位和审计部门",
        demonstrates="R6: a finding against a state-owned enterprise reaches its superior "
        "department (a state-assets commission, also its 100% owner) and the audit department",
        enterprises={"state_owned": org.uscc},
        persons=[_p("legal_representative", head)],
        findings={"listing": finding},
        facts={"superior_department": sasac.code},
    )


def _named_controller(pl: Planter) -> PlantedCase:
    world = pl.world
    org = pl.org("机械制造", pl.ago(2600))
    head = pl.person(org.established)
    controller = pl.person(org.established)
    pl.head(org, head, org.established)
    world.own_by_person(org, controller, 7_000, org.established)
    world.own_by_person(org, head, 3_000, org.established)
    finding = pl.find(org, "JUDGMENT_DEFAULTER", pl.ago(330), pl.ago(240))
    world.name_in(finding, controller, "ACTUAL_CONTROLLER")
    world.publish(org)
    return PlantedCase(
        id="NAMED_CONTROLLER",
        title="失信被执行人的实际控制人被列明",
        demonstrates="R5: the court names the actual controller (70% shareholder, no office) in "
        "the finding, so consumption restrictions reach them; the legal representative by role",
        enterprises={"listed": org.uscc},
        persons=[_p("named_actual_controller", controller), _p("legal_representative", head)],
        findings={"listing": finding},
        facts={},
    )


def _under_review(pl: Planter) -> PlantedCase:
    world = pl.world
    org = pl.org("科技", pl.ago(2400))
    head = pl.person(org.established)
    pl.head(org, head, org.established)
    world.own_by_person(org, head, 10_000, org.established)
    finding = pl.find(
        org, "SERIOUS_DISHONESTY", pl.ago(260), pl.ago(90), "UNDER_REVIEW", "MARKET_ORDER"
    )
    world.publish(org)
    return PlantedCase(
        id="UNDER_REVIEW",
        title="异议核实期间暂不执行",
        demonstrates="an objection is being verified: measures are not applied meanwhile, so the "
        "legal representative is not restricted",
        enterprises={"listed": org.uscc},
        persons=[_p("legal_representative", head)],
        findings={"listing": finding},
        facts={},
    )


def _successor_restricted(pl: Planter) -> PlantedCase:
    world = pl.world
    org = pl.org("物流", pl.ago(3000))
    old_head = pl.person(org.established)
    act, decided = pl.ago(700), pl.ago(600)
    change = decided + timedelta(days=120)
    successor = pl.person(change)
    pl.head(org, old_head, org.established, change)
    pl.head(org, successor, change + timedelta(days=1))
    world.own_by_person(org, old_head, 10_000, org.established)
    finding = pl.find(org, "JUDGMENT_DEFAULTER", act, decided, ground="EVADING_ENFORCEMENT")
    named_on = change + timedelta(days=90)
    world.name_in(finding, old_head, "EXIT_RESTRICTED")
    world.name_in(finding, successor, "RESTRICTED_OFFICER", named_on)
    world.publish(org)
    return PlantedCase(
        id="SUCCESSOR_RESTRICTED",
        title="法定代表人变更后，法院将限制消费措施延及新任法定代表人",
        demonstrates="R5 and R8: the court restricted the exit of the legal representative at the "
        "decision and, after he was replaced, named the successor RESTRICTED_OFFICER; the "
        "successor is only exposed before that naming",
        enterprises={"listed": org.uscc},
        persons=[_p("exit_restricted_former_head", old_head), _p("named_successor", successor)],
        findings={"listing": finding},
        facts={
            "decided_on": decided.isoformat(),
            "successor_appointed_on": (change + timedelta(days=1)).isoformat(),
            "successor_named_from": named_on.isoformat(),
        },
    )
