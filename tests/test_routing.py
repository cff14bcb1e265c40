import pytest

pytestmark = pytest.mark.django_db


def test_center_host_serves_its_center(client_for):
    response = client_for("torun").get("/")
    assert response.status_code == 200
    assert "Miejski Ośrodek Pomocy Rodzinie w Toruniu" in response.content.decode()


def test_platform_host_serves_the_platform(client_for):
    response = client_for().get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ostoja" in html and "<h1>Katalog ośrodków</h1>" in html  # the public directory of centers
    assert "Staff login of" not in html and "Logowanie pracowników" not in html  # no center's own page


def test_unknown_host_gets_plain_404(client_for):
    response = client_for("nowhere").get("/")
    assert response.status_code == 404


def test_template_schema_is_not_served(client_for):
    from ostoja.tenants.models import Domain

    assert not Domain.objects.filter(domain__startswith="center_template").exists()
    response = client_for("center_template").get("/")
    assert response.status_code == 404


def test_deactivated_center_answers_503(client_for, slupsk):
    slupsk.is_active = False
    slupsk.save()
    response = client_for("slupsk").get("/")
    assert response.status_code == 503
    assert "zawieszona" in response.content.decode()
    assert "suspended" in response.content.decode()
