"""Forming a selection council (domain.md §7.5): 7-9 members matched by field, balanced by load,
each conflict of interest excluded with its reason. Pure functions, no database."""

from __future__ import annotations

from modules.stm.councils import ExpertCard, Parties, conflicts, propose

FIELD = "102"  # computer and information sciences


def pool(n: int = 12, field: str = FIELD, start: int = 1, **extra) -> list[ExpertCard]:
    return [
        ExpertCard(
            id=start + i,
            name=f"Chuyên gia {start + i}",
            field=field,
            organisation=f"Viện {start + i}",
            **extra,
        )
        for i in range(n)
    ]


PARTIES = Parties.of(
    people=["Nguyễn Văn An", "Trần Thị Bình"],  # the investigator and a team member
    organisations=["Viện Công nghệ thông tin", "Trường Đại học Bách khoa"],  # host and partner
)


def test_an_applicant_is_a_conflict():
    expert = ExpertCard(id=1, name="NGUYEN VAN AN", field=FIELD, organisation="Viện Toán học")
    assert len(conflicts(expert, PARTIES)) == 1


def test_staff_of_the_host_or_a_partner_is_a_conflict():
    host = ExpertCard(id=1, name="Lê Văn Cường", field=FIELD, organisation="Viện Công nghệ Thông tin")
    partner = ExpertCard(id=2, name="Lê Văn Dũng", field=FIELD, organisation="Trường Đại học Bách Khoa")
    assert "Viện Công nghệ Thông tin" in conflicts(host, PARTIES)[0]
    assert len(conflicts(partner, PARTIES)) == 1


def test_a_declared_relative_is_a_conflict():
    expert = ExpertCard(
        id=1, name="Phạm Văn Đông", field=FIELD, organisation="Viện Toán học", relatives=("Trần Thị Bình",)
    )
    assert conflicts(expert, PARTIES) == [
        "Có người thân là người đăng ký. / A declared relative is an applicant."
    ]


def test_a_declared_conflict_with_an_organisation_is_a_conflict():
    expert = ExpertCard(
        id=1,
        name="Phạm Văn Đông",
        field=FIELD,
        organisation="Viện Toán học",
        declared=("Trường Đại học Bách khoa",),
    )
    assert len(conflicts(expert, PARTIES)) == 1


def test_no_conflict_for_an_unrelated_expert():
    assert (
        conflicts(ExpertCard(id=1, name="Hoàng Văn Em", field=FIELD, organisation="Viện Toán học"), PARTIES)
        == []
    )


def test_a_council_of_nine_with_every_seat():
    proposal = propose(pool(12), FIELD, PARTIES)
    roles = [role for role, _ in proposal.seats]
    assert len(roles) == 9 and proposal.short_by == 0
    assert roles.count("chair") == roles.count("vice_chair") == roles.count("secretary") == 1
    assert roles.count("reviewer") == 2 and roles.count("member") == 4


def test_the_least_loaded_are_chosen():
    experts = [
        ExpertCard(id=i, name=f"CG {i}", field=FIELD, organisation=f"Viện {i}", load=i % 5)
        for i in range(1, 21)
    ]
    chosen = {e.id for _, e in propose(experts, FIELD, PARTIES).seats}
    loads = sorted(e.load for e in experts)
    assert sorted(e.load for e in experts if e.id in chosen) == loads[:9]


def test_the_field_first_then_its_group_and_never_another_group():
    exact = pool(5, FIELD, start=1)
    near = pool(5, "101", start=100)  # same group (natural sciences)
    other = pool(20, "502", start=200)  # economics: never
    proposal = propose(exact + near + other, FIELD, PARTIES)
    ids = [e.id for _, e in proposal.seats]
    assert set(range(1, 6)) <= set(ids) and not any(i >= 200 for i in ids) and len(ids) == 9


def test_conflicted_experts_are_excluded_with_reasons():
    clean = pool(8)
    host_staff = ExpertCard(id=99, name="Lê Văn Cường", field=FIELD, organisation="Viện Công nghệ thông tin")
    proposal = propose([host_staff, *clean], FIELD, PARTIES)
    assert 99 not in {e.id for _, e in proposal.seats}
    assert proposal.excluded[99] and len(proposal.seats) == 8


def test_too_few_experts_says_how_many_are_missing():
    assert propose(pool(5), FIELD, PARTIES).short_by == 2


def test_the_most_senior_chairs():
    experts = [
        *pool(8),
        ExpertCard(id=50, name="GS Một", field=FIELD, organisation="Viện X", title="GS", load=1),
    ]
    seats = propose(experts, FIELD, PARTIES).seats
    assert seats[0] == ("chair", experts[-1])
