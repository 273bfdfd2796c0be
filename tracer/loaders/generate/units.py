"""Units of generation: a stand-alone body of any kind, a holding group (a pyramid of
subsidiaries, cross-holdings and the odd cycle) or a state-owned group, and phoenix successors.
Each unit is built in memory, written, and forgotten."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from tracer.loaders.generate.draw import Weighted
from tracer.loaders.generate.listing import (
    Listing,
    grant_honours,
    list_person,
    plan_listings,
    record_listings,
)
from tracer.loaders.generate.names import (
    COOP_WORDS,
    INDUSTRIES,
    INDUSTRY_WEIGHTS,
    PRIVATE_NONPROFIT_WORDS,
    SHOP_WORDS,
    SOCIETY_WORDS,
    SOE_TOP_WORDS,
    Industry,
)
from tracer.loaders.generate.practitioners import Practitioners
from tracer.loaders.generate.regions import District
from tracer.loaders.generate.staff import Staff, staff_org
from tracer.loaders.generate.world import Org, Person, World, add_years

_STANDALONE = (
    ("ENTERPRISE", 80),
    ("INDIVIDUAL_BUSINESS", 9),
    ("COOPERATIVE", 3),
    ("PUBLIC_INSTITUTION", 4),
    ("ORGAN", 1),
    ("SOCIAL_ORGANISATION", 3),
)
_KINDS = Weighted([kind for kind, _ in _STANDALONE], [weight for _, weight in _STANDALONE])
_INDUSTRIES = Weighted(INDUSTRIES, INDUSTRY_WEIGHTS)
_SHAREHOLDERS = Weighted((1, 2, 3, 4, 5), (35, 33, 20, 8, 4))
# Public institutions: name pattern, superior department kind.
_INSTITUTIONS = (
    ("{town}疾病预防控制中心", "HEALTH"),
    ("{town}第{n}人民医院", "HEALTH"),
    ("{prefix}社区卫生服务中心", "HEALTH"),
    ("{prefix}实验小学", "EDUCATION"),
    ("{town}第{n}中学", "EDUCATION"),
    ("{town}建设工程质量安全监督站", "HOUSING"),
    ("{town}公共资源交易中心", "DEVELOPMENT_REFORM"),
    ("{prefix}不动产登记中心", "GOVERNMENT"),
)
_ORGANS = ("{prefix}{street}街道办事处", "{prefix}{brand}镇人民政府")


@dataclass(slots=True)
class Built:
    """An organisation with its officers and planned findings, ready to finish."""

    org: Org
    staff: Staff
    listings: list[Listing]
    controller: Person | None = None


def choose_industry(world: World) -> Industry:
    """An industry, weighted."""
    return _INDUSTRIES.draw(world.rng)


def enterprise_name(district: District, brand: str, industry: Industry, joint_stock: bool) -> str:
    """北京华信科技有限公司 style names."""
    suffix = "股份有限公司" if joint_stock else "有限公司"
    return f"{district.short_town}{brand}{industry.word}{suffix}"


def begin(
    world: World,
    org: Org,
    first_head: Person | None = None,
    pool: list[Person] | None = None,
    size: str | None = None,
) -> Built:
    """Plan the findings and appoint the officers (a head changes after the act sometimes)."""
    rng = world.rng
    listings = plan_listings(world, org)
    change_after = None
    if listings and rng.random() < 0.35:
        change_after = min(x.reference_day for x in listings)
    if listings and first_head is None and world.offenders and rng.random() < 0.15:
        first_head = rng.choice(world.offenders)
    staff = staff_org(world, org, first_head, change_after, pool, size)
    return Built(org, staff, listings)


def finish(world: World, practitioners: Practitioners, built: Built) -> None:
    """Register practitioners, write findings and honours, write the organisation row, and
    sometimes let a listed enterprise rise again as a phoenix."""
    org, staff = built.org, built.staff
    registrations = practitioners.staff(org)
    record_listings(world, org, staff, built.listings, registrations, built.controller)
    grant_honours(world, org, staff, built.listings)
    if world.rng.random() < 0.004:
        list_person(world, staff.founder, org.district)
    world.publish(org)
    active = [x for x in built.listings if x.status == "ACTIVE"]
    if active and org.kind == "ENTERPRISE" and world.room() and world.rng.random() < 0.04:
        phoenix(world, practitioners, built, active[0].decided)


def private_shareholders(world: World, org: Org, founder: Person) -> Person | None:
    """Natural-person shareholders (sometimes one enterprise); the founder usually holds most.
    Returns the controlling person (over 50%), if any."""
    rng = world.rng
    count = _SHAREHOLDERS.draw(rng)
    founder_bp = 10_000 if count == 1 else rng.randint(30, 90) * 100
    world.own_by_person(org, founder, founder_bp, org.established)
    rest = 10_000 - founder_bp
    if rest and world.recent_orgs and rng.random() < 0.08:
        uscc, established = rng.choice(world.recent_orgs)
        if established < org.established:
            part = rng.randint(1, rest // 100) * 100
            world.own(org, "ENTERPRISE", uscc, part, org.established)
            rest -= part
    for index in range(count - 1):
        if rest <= 0:
            break
        part = rest if index == count - 2 else rng.randint(1, max(1, rest // 100)) * 100
        world.own_by_person(org, world.pick_person(org.established, 0.1), part, org.established)
        rest -= part
    if founder.id_type == "PASSPORT" and founder_bp > 5_000:
        org.ownership = "FOREIGN"
    controller = founder if founder_bp > 5_000 else None
    if controller is not None and rng.random() < 0.03:
        world.hold(org, controller, "ACTUAL_CONTROLLER", org.established)
    return controller


def standalone(world: World, practitioners: Practitioners) -> None:
    """One organisation of a random kind, with officers, owners, findings and honours."""
    rng = world.rng
    kind = _KINDS.draw(rng)
    district = world.district()
    established = world.founding_date()
    brand = world.names.brand()
    town, prefix = district.town, district.prefix
    directory = world.directory
    if kind == "ENTERPRISE":
        industry = choose_industry(world)
        name = enterprise_name(district, brand, industry, rng.random() < 0.06)
        org = world.new_org(kind, name, district, established, "PRIVATE", industry=industry)
        built = begin(world, org)
        built.controller = private_shareholders(world, org, built.staff.founder)
    elif kind == "INDIVIDUAL_BUSINESS":
        name = f"{prefix}{brand}{rng.choice(SHOP_WORDS)}"
        built = begin(world, world.new_org(kind, name, district, established, "PRIVATE"))
    elif kind == "COOPERATIVE":
        name = f"{prefix}{brand}{rng.choice(COOP_WORDS)}专业合作社"
        built = begin(world, world.new_org(kind, name, district, established, "COLLECTIVE"))
    elif kind == "PUBLIC_INSTITUTION":
        pattern, superior = rng.choice(_INSTITUTIONS)
        name = pattern.format(town=town, prefix=prefix, n=rng.randint(1, 40))
        org = world.new_org(
            kind,
            name,
            district,
            established,
            "STATE",
            superior=directory.local(superior, district).code,
        )
        built = begin(world, org)
    elif kind == "ORGAN":
        pattern = rng.choice(_ORGANS)
        street = rng.choice(("建设", "新华", "和平", "光明", "长安", "东风"))
        name = pattern.format(prefix=prefix, street=street, brand=brand)
        superior = directory.local("GOVERNMENT", district).code
        built = begin(
            world,
            world.new_org(kind, name, district, established, "STATE", superior=superior),
        )
    else:
        sub = rng.choice(("51", "52", "53"))
        words = {"51": SOCIETY_WORDS, "52": PRIVATE_NONPROFIT_WORDS, "53": ("慈善基金会",)}
        word = rng.choice(words[sub])
        name = f"{town}{word}" if sub == "51" else f"{town}{brand}{word}"
        built = begin(world, world.new_org(kind, name, district, established, None, prefix=sub))
    finish(world, practitioners, built)


def phoenix(world: World, practitioners: Practitioners, old: Built, listed_on: date) -> None:
    """A new enterprise at the listed one's address with its people, founded shortly after."""
    rng = world.rng
    latest = world.as_of - timedelta(days=2)
    established = min(listed_on + timedelta(days=rng.randint(15, 180)), latest)
    org = old.org
    industry = org.industry or choose_industry(world)
    name = enterprise_name(org.district, world.names.brand(), industry, False)
    new = world.new_org(
        "ENTERPRISE",
        name,
        org.district,
        established,
        "PRIVATE",
        address=org.address,
        industry=industry,
    )
    head = old.staff.heads_on(listed_on) or [old.staff.founder]
    built = begin(world, new, first_head=head[0], size="micro")
    world.own_by_person(new, head[0], 10_000, established)
    built.controller = head[0]
    finish(world, practitioners, built)


# -- groups ------------------------------------------------------------------------------------
@dataclass(slots=True)
class Node:
    """A member of a group and its depth below the top."""

    org: Org
    depth: int
    parent: Node | None


def group(world: World, practitioners: Practitioners, size: int, depth: int, state: bool) -> None:
    """A holding group: a pyramid ``depth`` layers deep of ``size`` members in all, owned by a
    person (private) or by a state-assets commission (state-owned)."""
    rng = world.rng
    district = world.district()
    brand = world.names.brand()
    directory = world.directory
    latest_top = add_years(world.as_of, -(2 + depth))
    top_established = world.day_between(date(1998, 1, 1), latest_top)
    sasac = directory.upper("SASAC", district) if state else None
    if sasac is not None:
        name = f"{district.town}{rng.choice(SOE_TOP_WORDS)}集团有限公司"
        top = world.new_org(
            "ENTERPRISE", name, district, top_established, "STATE", superior=sasac.code
        )
        world.own(top, "DEPARTMENT", sasac.code, 10_000, top_established)
        controller = None
        pool = [world.new_person(top_established) for _ in range(4)]
    else:
        name = f"{district.short_town}{brand}控股集团有限公司"
        top = world.new_org("ENTERPRISE", name, district, top_established, "PRIVATE")
        controller = world.new_person(top_established)
        world.own_by_person(top, controller, rng.randint(51, 100) * 100, top_established)
        if rng.random() < 0.5:
            other = world.pick_person(top_established, 0.1)
            world.own_by_person(top, other, rng.randint(1, 30) * 100, top_established)
        pool = [controller] + [world.new_person(top_established) for _ in range(3)]
    nodes = [Node(top, 0, None)]
    names = {top.name}
    while len(nodes) < size:
        chain = len(nodes) <= depth
        parent = nodes[-1] if chain else rng.choice([n for n in nodes if n.depth < depth])
        superior = sasac.code if sasac else None
        nodes.append(_subsidiary(world, parent, nodes, names, brand, superior))
    _close_cycle(world, nodes)
    declared = controller is not None and rng.random() < 0.3
    world.pending = len(nodes)
    for node in nodes:
        world.pending -= 1
        org = node.org
        first = controller if node.depth == 0 and controller and rng.random() < 0.7 else None
        size_class = "large" if not node.depth else None
        built = begin(world, org, first_head=first, pool=pool, size=size_class)
        built.controller = controller
        if declared and controller is not None and node.depth and rng.random() < 0.5:
            world.hold(org, controller, "ACTUAL_CONTROLLER", org.established)
        finish(world, practitioners, built)


def _subsidiary(
    world: World,
    parent: Node,
    nodes: list[Node],
    names: set[str],
    brand: str,
    superior: str | None,
) -> Node:
    rng = world.rng
    district = parent.org.district if rng.random() < 0.7 else world.district()
    latest = world.as_of - timedelta(days=120)
    established = world.day_between(
        parent.org.established + timedelta(days=30),
        min(parent.org.established + timedelta(days=365), latest),
    )
    industry = choose_industry(world)
    name = enterprise_name(district, brand, industry, False)
    if name in names:
        name = name.removesuffix("有限公司") + f"（{district.name}）有限公司"
    names.add(name)
    org = world.new_org(
        "ENTERPRISE",
        name,
        district,
        established,
        "STATE" if superior else "PRIVATE",
        superior=superior,
        industry=industry,
    )
    parent_bp = 10_000 if rng.random() < 0.45 else rng.randint(51, 99) * 100
    world.own_by_org(org, parent.org, parent_bp, established)
    rest = 10_000 - parent_bp
    roll = rng.random()
    if rest and roll < 0.45:
        minority = world.pick_person(established, 0.1)
        world.own_by_person(org, minority, rng.randint(1, rest // 100) * 100, established)
    elif rest and roll < 0.7:
        holder = rng.choice(nodes).org
        if holder.established < established:
            world.own_by_org(org, holder, rng.randint(1, rest // 100) * 100, established)
    return Node(org, parent.depth + 1, parent)


def _close_cycle(world: World, nodes: list[Node]) -> None:
    """Sometimes a deep member takes a small stake in one of its ancestors (a cycle)."""
    rng = world.rng
    deep = [n for n in nodes if n.depth >= 2]
    if not deep or rng.random() >= 0.35:
        return
    member = rng.choice(deep)
    ancestor = member.parent
    while ancestor is not None:
        room = 10_000 - ancestor.org.holdings_bp
        if room >= 100 and member.org.uscc not in ancestor.org.holders:
            start = min(
                member.org.established + timedelta(days=rng.randint(30, 700)),
                world.as_of - timedelta(days=2),
            )
            stake = rng.randint(1, min(room, 2_000) // 100) * 100
            world.own_by_org(ancestor.org, member.org, stake, start)
            return
        ancestor = ancestor.parent
