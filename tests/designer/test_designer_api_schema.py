import pytest
import yaml as pyyaml


def test_openapi_schema_describes_the_api(api):
    response = api.get("/api/schema/")
    assert response.status_code == 200
    schema = pyyaml.safe_load(response.content)
    paths = schema["paths"]
    for path in [
        "/api/workflows/",
        "/api/workflows/{id}/",
        "/api/workflows/{id}/draft/",
        "/api/workflows/{id}/versions/",
        "/api/workflows/{id}/export/",
        "/api/workflows/import/",
    ]:
        assert path in paths, path
    assert {"get", "put"} <= set(paths["/api/workflows/{id}/draft/"])
    put_params = {p["name"] for p in paths["/api/workflows/{id}/draft/"]["put"]["parameters"]}
    assert "If-Match" in put_params
    list_params = {p["name"] for p in paths["/api/workflows/"]["get"]["parameters"]}
    assert {"search", "type", "tag", "owner", "page", "page_size", "ordering"} <= list_params


def test_docs_page_serves_without_a_cdn(api):
    response = api.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    assert "cdn." not in page


@pytest.mark.parametrize(("url", "marker"), [("/api/docs/", "swagger-ui"), ("/api/redoc/", "redoc")])
def test_the_api_docs_lead_back_to_the_app(api, url, marker):
    page = api.get(url).content.decode()
    assert marker in page
    assert "← Back to Symphony</a>" in page
    assert 'href="/workflows/"' in page
    assert 'href="/executions/"' in page
