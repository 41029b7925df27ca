"""The pages a refusal, a missing page and a crash answer with: Symphony's own, in its frame,
saying what to do, and the navigation offering only what the user may open. Django's defaults were
a bare "403 Forbidden" on a white page, reached from the navigation by a user with no role."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import server_error

from designer import services as designer
from designer.models import Visibility
from designer.roles import AUTHORS, VIEWERS

pytestmark = pytest.mark.django_db

NO_ROLE = "You have no role yet"


def nav_links(page: str) -> str:
    return page.split('class="topnav"', 1)[1].split("</nav>", 1)[0]


def test_error_pages_a_user_with_no_role_is_told_why_and_offered_only_what_opens(client, make_user):
    client.force_login(make_user("nora"))
    refused = client.get(reverse("executions:function-list"))
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "Not allowed" in page and "You may not see this." in page and NO_ROLE in page
    assert "symphony.css" in page
    for url in (reverse("designer:workflow-list"), reverse("executions:execution-list")):
        listed = client.get(url).content.decode()
        assert NO_ROLE in listed
        assert "Functions" not in nav_links(listed) and "Local AWS" not in nav_links(listed)
        assert "Workflows" in nav_links(listed)


def test_error_pages_a_viewer_is_refused_without_the_no_role_hint_and_sees_the_read_pages(client, make_user):
    client.force_login(make_user("vera", VIEWERS))
    listed = client.get(reverse("designer:workflow-list")).content.decode()
    assert "Functions" in nav_links(listed) and "Local AWS" in nav_links(listed)
    assert NO_ROLE not in listed
    assert client.get(reverse("executions:function-list")).status_code == 200
    refused = client.get(reverse("executions:function-create"))
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "You may not write functions here." in page and NO_ROLE not in page


def test_error_pages_another_accounts_workflow_is_not_found_like_a_missing_one(client, make_user):
    alice = make_user("alice", AUTHORS)
    private = designer.create_workflow(alice, name="orders", visibility=Visibility.PRIVATE, definition="{}")
    client.force_login(make_user("bob", AUTHORS))
    pages = [client.get(reverse("designer:workflow", args=[pk])) for pk in (private.pk, private.pk + 1000)]
    assert [page.status_code for page in pages] == [404, 404]
    texts = [page.content.decode() for page in pages]
    assert all("Not found" in text and "symphony.css" in text for text in texts)
    assert f"/workflows/{private.pk}/" in texts[0] and "orders" not in texts[0]


def test_error_pages_a_crash_answers_with_a_page_of_its_own():
    """Rendered as Django renders it after an exception: no request context, no user."""
    answered = server_error(RequestFactory().get("/workflows/"))
    assert answered.status_code == 500
    page = answered.content.decode()
    assert "Something went wrong" in page and "symphony.css" in page


def test_error_pages_a_form_without_its_csrf_token_is_refused_with_what_to_do(make_user):
    """A sign-in page left open past its session, then sent: Django's answer was a bare page."""
    make_user("ana", AUTHORS)
    refused = Client(enforce_csrf_checks=True).post(
        reverse("login"), {"username": "ana", "password": "pw-12345!"}
    )
    assert refused.status_code == 403
    page = refused.content.decode()
    assert "This form has expired" in page and "reload the page" in page and "symphony.css" in page
