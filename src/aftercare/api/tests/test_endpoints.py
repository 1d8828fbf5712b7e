"""The operation table covers the served OpenAPI document, and the docs page is self-hosted."""

import re

from aftercare.api.tests.endpoints import ENDPOINTS, PAGED


def served_operations(client) -> dict[str, tuple[str, str]]:
    document = client.get("/api/v1/openapi.json").json()
    return {
        operation["operationId"]: (method, path)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }


def test_every_operation_in_the_document_has_an_entry(client):
    served = served_operations(client)
    assert set(served) == set(ENDPOINTS)
    for name, (method, path) in served.items():
        assert ENDPOINTS[name][0] == method, name
        assert re.sub(r"\{\w+\}", "X", path) == re.sub(
            r"\{\w+\}|(?<=/)phq9$|(?<=/fhir/)QuestionnaireResponse$", "X", ENDPOINTS[name][1]
        ), name


def test_every_paged_operation_takes_the_list_query(client):
    document = client.get("/api/v1/openapi.json").json()
    for _path, methods in document["paths"].items():
        for operation in methods.values():
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            paged = operation["operationId"] in PAGED
            assert ({"limit", "offset", "from", "to"} <= names) == paged, operation["operationId"]


def test_every_operation_documents_the_error_shape(client):
    document = client.get("/api/v1/openapi.json").json()
    for methods in document["paths"].values():
        for operation in methods.values():
            for code in ("401", "404", "422"):
                schema = operation["responses"][code]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}


def test_the_docs_page_loads_everything_from_this_site(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(url.endswith("swagger-ui-bundle.js") for url in urls)
    assert urls
    assert all(url.startswith("/static/") for url in urls), urls
    assert "cdn" not in html.lower()
    script = client.get(next(u for u in urls if u.endswith(".js")))
    assert script.status_code == 200
    script.close()  # a file response: its file stays open until closed


def test_the_root_points_to_the_document(client):
    assert client.get("/api/v1/").json() == {
        "openapi": "/api/v1/openapi.json",
        "docs": "/api/v1/docs",
    }


def test_an_unknown_address_is_404_in_the_error_shape(client, alice, api_as):
    from aftercare.api.tests.conftest import assert_error_shape

    for caller in (client, api_as(alice.user).client):
        assert_error_shape(caller.get("/api/v1/nothing/here"), 404)
    assert_error_shape(client.post("/api/v1/me/check-ins/"), 404)  # trailing slash
