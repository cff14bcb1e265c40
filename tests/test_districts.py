"""District lookup and the overlap rule, on Słupsk's five (illustrative) districts from the demo config."""

import pytest

from ostoja.platform.errors import ValidationFailed
from ostoja.tenants.configuration import services
from ostoja.tenants.configuration.districts import district_for, street_key
from ostoja.tenants.configuration.models import District, DistrictStreet

pytestmark = pytest.mark.django_db


def name(street, number=None):
    result = district_for(street, number)
    assert result.status == "assigned", result.message
    return result.district.name


def test_slupsk_has_five_illustrative_districts(slupsk, in_schema):
    with in_schema("slupsk"):
        assert list(District.objects.values_list("name", flat=True)) == [
            "Rejon I",
            "Rejon II",
            "Rejon III",
            "Rejon IV",
            "Rejon V",
        ]
        assert all(District.objects.values_list("is_illustrative", flat=True))


def test_lookup_all_odd_even_and_range(slupsk, in_schema):
    with in_schema("slupsk"):
        assert name("Sienkiewicza", 19) == "Rejon II"  # all numbers
        assert name("ul. Sienkiewicza") == "Rejon II"  # a whole street needs no number
        assert name("Wojska Polskiego", 5) == "Rejon I"  # odd
        assert name("Wojska Polskiego", 6) == "Rejon II"  # even
        assert name("Szczecińska", 1) == "Rejon III"  # range 1–60
        assert name("Szczecińska", 60) == "Rejon III"
        assert name("Szczecińska", 61) == "Rejon IV"  # range 61–200


def test_house_numbers_with_letters_and_flats(slupsk, in_schema):
    with in_schema("slupsk"):
        assert name("Wojska Polskiego", "19A") == "Rejon I"
        assert name("Wojska Polskiego", "5/3") == "Rejon I"
        assert name("Wojska Polskiego", "20b/4") == "Rejon II"


def test_street_names_fold_prefixes_case_and_diacritics(slupsk, in_schema):
    with in_schema("slupsk"):
        assert street_key("ul. Kołłątaja") == street_key("KOLLATAJA") == "kollataja"
        assert name("kollataja", 3) == "Rejon II"
        assert name("ulica Szczecinska", 100) == "Rejon IV"


def test_ambiguous_when_a_split_street_has_no_number(slupsk, in_schema):
    with in_schema("slupsk"):
        result = district_for("Wojska Polskiego")
        assert result.status == "ambiguous"
        assert result.district is None
        assert {d.name for d in result.candidates} == {"Rejon I", "Rejon II"}
        assert "Rejon I" in result.message and "Rejon II" in result.message


def test_unassigned(slupsk, in_schema):
    with in_schema("slupsk"):
        assert district_for("Nieistniejąca", 1).status == "unassigned"
        assert district_for("Szczecińska", 500).status == "unassigned"  # beyond every range
    with in_schema("torun"):
        assert district_for("Sienkiewicza", 19).status == "unassigned"  # another center's districts


@pytest.mark.parametrize(
    ("district", "street"),
    [
        ("rejon-5", {"street": "Wojska Polskiego"}),  # all vs odd (and even)
        ("rejon-5", {"street": "Sienkiewicza", "numbers": "odd"}),  # odd vs all
        ("rejon-5", {"street": "Szczecińska", "numbers": "odd"}),  # odd vs a range holding odd numbers
        ("rejon-5", {"street": "Szczecińska", "numbers": "range", "number_from": 50, "number_to": 70}),
        ("rejon-5", {"street": "Wojska Polskiego", "numbers": "range", "number_from": 2, "number_to": 2}),
        ("rejon-1", {"street": "Wojska Polskiego", "numbers": "odd"}),  # the same part twice
    ],
)
def test_overlap_refused(slupsk, in_schema, district, street):
    with in_schema("slupsk"):
        before = DistrictStreet.objects.count()
        with pytest.raises(ValidationFailed) as failure:
            services.add_district_street(None, District.objects.get(code=district), **street)
        assert failure.value.code == "district_overlap"
        assert "Rejon" in failure.value.message  # names the district holding the conflicting street
        assert DistrictStreet.objects.count() == before


def test_overlap_message_names_street_and_district(slupsk, in_schema):
    with in_schema("slupsk"):
        with pytest.raises(ValidationFailed) as failure:
            services.add_district_street(None, District.objects.get(code="rejon-5"), street="Sienkiewicza")
        assert "Sienkiewicza" in failure.value.message
        assert "Rejon II" in failure.value.message


def test_non_overlapping_parts_accepted(slupsk, in_schema):
    with in_schema("slupsk"):
        rejon_1, rejon_2 = District.objects.get(code="rejon-1"), District.objects.get(code="rejon-2")
        services.add_district_street(None, rejon_1, street="Długa", numbers="odd")
        services.add_district_street(None, rejon_2, street="ul. Długa", numbers="even")
        services.add_district_street(
            None, rejon_1, street="Szczecińska", numbers="range", number_from=201, number_to=300
        )
        assert name("Długa", 7) == "Rejon I"
        assert name("Długa", 8) == "Rejon II"
        assert name("Szczecińska", 250) == "Rejon I"


def test_range_must_be_complete_and_ordered(slupsk, in_schema):
    with in_schema("slupsk"):
        rejon_1 = District.objects.get(code="rejon-1")
        with pytest.raises(ValidationFailed) as failure:
            services.add_district_street(None, rejon_1, street="Długa", numbers="range", number_from=10)
        assert failure.value.code == "range_incomplete"
        with pytest.raises(ValidationFailed) as failure:
            services.add_district_street(None, rejon_1, street="Długa", numbers="range", number_from=10, number_to=2)
        assert failure.value.code == "range_reversed"


def test_changing_a_street_keeps_the_rule(slupsk, in_schema):
    with in_schema("slupsk"):
        row = DistrictStreet.objects.get(street="Wojska Polskiego", numbers="odd")
        with pytest.raises(ValidationFailed) as failure:
            services.update_district_street(None, row, numbers="all")
        assert failure.value.code == "district_overlap"
        services.update_district_street(None, row, numbers="range", number_from=1, number_to=1)  # still only odd
        assert name("Wojska Polskiego", 1) == "Rejon I"
        assert district_for("Wojska Polskiego", 3).status == "unassigned"
