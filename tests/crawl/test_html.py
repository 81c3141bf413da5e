"""parse_browsable on real browsable API pages (tests/crawl/pages/) and on
hand-made malformed or hostile markup."""

from __future__ import annotations

import pathlib

import pytest

from generator.crawl.html import (
    MAX_ITEMS,
    MAX_NAME_CHARS,
    BrowsablePage,
    ExtraAction,
    parse_browsable,
)

PAGES = pathlib.Path(__file__).parent / "pages"


def parse_page(name: str) -> BrowsablePage:
    return parse_browsable((PAGES / name).read_text(encoding="utf-8"))


def modal(body: str) -> str:
    """The filters dialog of DRF's base.html around ``body``."""
    return (
        '<div class="modal fade" id="filtersModal" tabindex="-1">'
        '<div class="modal-dialog"><div class="modal-content">'
        f'<div class="modal-body">{body}</div></div></div></div>'
    )


def menu(items: str) -> str:
    """DRF's Extra Actions dropdown around ``items``."""
    return (
        '<div class="dropdown"><button class="btn btn-default" id="extra-actions-menu">'
        'Extra Actions <span class="caret"></span></button>'
        '<ul class="dropdown-menu" aria-labelledby="extra-actions-menu">'
        f"{items}</ul></div>"
    )


def response_info(headers: str, content: str = "") -> str:
    return (
        '<div class="response-info"><pre class="prettyprint"><span class="meta nocode">'
        f"<b>HTTP 200 OK</b>{headers}\n\n</span>{content}</pre></div>"
    )


# -- real pages -----------------------------------------------------------


def test_sandbox_filters_come_from_the_django_filter_form_in_page_order() -> None:
    page = parse_page("sandbox_customers_list.html")
    assert page.filters == (
        "synccounter",
        "FederalTaxId",
        "CustomerId",
        "CardId",
        "MobileTelephone",
        "EmailAddress",
    )
    assert (page.search, page.ordering, page.actions) == (False, (), ())


def test_post_form_fields_outside_the_filters_modal_are_not_filters() -> None:
    # The items page also renders the POST form (ItemId, csrfmiddlewaretoken...).
    assert parse_page("sandbox_items_list.html").filters == ("synccounter", "store")


@pytest.mark.parametrize(
    ("name", "methods"),
    [
        ("sandbox_customers_list.html", ("GET", "POST", "HEAD", "OPTIONS")),
        ("sandbox_customers_detail.html", ("GET", "PUT", "PATCH", "HEAD", "OPTIONS")),
        ("sandbox_stockmovements_list.html", ("GET", "HEAD", "OPTIONS")),
        ("sandbox_api_root.html", ("GET", "HEAD", "OPTIONS")),
        (
            "demo_widgets_detail.html",
            ("GET", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"),
        ),
    ],
)
def test_allowed_methods_come_from_the_allow_header_block(
    name: str, methods: tuple[str, ...]
) -> None:
    assert parse_page(name).allowed_methods == methods


@pytest.mark.parametrize(
    "name",
    [
        "sandbox_api_root.html",
        "sandbox_customers_detail.html",
        "demo_widgets_detail.html",
    ],
)
def test_pages_without_a_filters_dialog_have_no_filters(name: str) -> None:
    page = parse_page(name)
    assert (page.filters, page.search, page.ordering) == ((), False, ())


def test_django_filter_widgets_give_their_query_argument_names() -> None:
    # RangeFilter and DateFromToRangeFilter render two inputs with suffixes.
    assert parse_page("demo_widgets_list.html").filters == (
        "sku",
        "sku__startswith",
        "name",
        "price_min",
        "price_max",
        "created_after",
        "created_before",
        "colour",
    )


def test_search_filter_box_sets_search_and_is_not_a_filter() -> None:
    page = parse_page("demo_widgets_list.html")
    assert page.search
    assert page.search_param == "search"
    assert "search" not in page.filters


def test_ordering_choices_are_the_values_the_ordering_links_set() -> None:
    page = parse_page("demo_widgets_list.html")
    assert page.ordering == ("name", "-name", "price", "-price")
    assert page.ordering_param == "ordering"


def test_renamed_search_and_ordering_arguments_are_found() -> None:
    # SEARCH_PARAM "q", ORDERING_PARAM "sort"; the page was requested with
    # q=gear&sort=-name, so every link repeats q=gear and one link is active.
    page = parse_page("demo_gadgets_list.html")
    assert (page.search, page.search_param) == (True, "q")
    assert page.ordering_param == "sort"
    assert page.ordering == ("name", "-name", "created", "-created")
    assert page.filters == ()


def test_list_page_lists_the_list_actions() -> None:
    assert parse_page("demo_widgets_list.html").actions == (
        ExtraAction(
            "Cheapest widgets",
            "http://testserver/api/widgets/cheapest-items/?format=api",
        ),
    )


def test_detail_page_lists_the_detail_actions() -> None:
    assert parse_page("demo_widgets_detail.html").actions == (
        ExtraAction("Restock", "http://testserver/api/widgets/1/restock/?format=api"),
    )


# -- markup variants ------------------------------------------------------


def test_relative_action_urls_are_returned_as_written() -> None:
    page = parse_browsable(menu('<li><a href="restock/?format=api">Restock</a></li>'))
    assert page.actions == (ExtraAction("Restock", "restock/?format=api"),)


def test_action_names_are_unescaped_and_whitespace_collapsed() -> None:
    page = parse_browsable(
        menu('<li><a href="/x/">\n  Set &amp;\n  <b>forget</b> </a>')
    )
    assert page.actions == (ExtraAction("Set & forget", "/x/"),)


def test_unclosed_list_items_and_links_still_give_every_action() -> None:
    page = parse_browsable(menu('<li><a href="/a/">A<li><a href="/b/">B'))
    assert page.actions == (ExtraAction("A", "/a/"), ExtraAction("B", "/b/"))


def test_non_http_action_urls_and_nameless_links_are_dropped() -> None:
    page = parse_browsable(
        menu(
            '<li><a href="javascript:alert(1)">Evil</a></li>'
            '<li><a href="/empty/"> </a></li><li><a>No href</a></li>'
            '<li><a href="/ok/">Ok</a></li>'
        )
    )
    assert page.actions == (ExtraAction("Ok", "/ok/"),)


def test_links_outside_the_extra_actions_menu_are_not_actions() -> None:
    html = '<ul class="dropdown-menu"><li><a href="/?format=json">json</a></li></ul>'
    assert parse_browsable(html).actions == ()


def test_long_allow_header_broken_with_br_by_older_drf_is_read() -> None:
    # DRF < 3.15.2 rendered headers over 160 characters with break_long_headers.
    headers = (
        '\n<b>Allow:</b> <span class="lit"><br> GET, <br> POST, <br> OPTIONS</span>'
    )
    page = parse_browsable(response_info(headers))
    assert page.allowed_methods == ("GET", "POST", "OPTIONS")


def test_allow_lines_in_the_response_body_are_ignored() -> None:
    headers = '\n<b>Vary:</b> <span class="lit">Accept</span>'
    page = parse_browsable(response_info(headers, content='[\nAllow: DELETE\n"x"]'))
    assert page.allowed_methods == ()


def test_pagination_format_and_csrf_arguments_are_not_filters() -> None:
    excluded = ["page", "page_size", "format", "csrfmiddlewaretoken"]
    excluded += ["limit", "offset", "cursor"]
    inputs = "".join(f'<input name="{name}">' for name in [*excluded, "StoreId"])
    page = parse_browsable(modal(f'<form class="form" method="get">{inputs}</form>'))
    assert page.filters == ("StoreId",)


def test_repeated_names_are_kept_once_in_first_seen_order() -> None:
    body = (
        '<form class="form"><input type="checkbox" name="tag" value="a">'
        '<select name="kind"></select><input type="checkbox" name="tag" value="b">'
        '<textarea name="note"></textarea></form>'
    )
    assert parse_browsable(modal(body)).filters == ("tag", "kind", "note")


def test_buttons_are_not_filters() -> None:
    body = (
        '<form class="form"><input type="submit" name="go">'
        '<input type="IMAGE" name="i"><button name="b">Submit</button>'
        '<input type="hidden" name="store"></form>'
    )
    assert parse_browsable(modal(body)).filters == ("store",)


def test_inline_form_with_several_fields_is_filters_not_search() -> None:
    body = '<form class="form-inline"><input name="a"><input name="b"></form>'
    page = parse_browsable(modal(body))
    assert (page.filters, page.search) == (("a", "b"), False)


def test_fields_of_a_custom_backend_outside_any_form_are_filters() -> None:
    assert parse_browsable(modal('<p><input name="since"></p>')).filters == ("since",)


def test_self_closing_syntax_does_not_close_the_filters_dialog() -> None:
    html = '<div id="filtersModal"/><form><input name="a"></form></div>'
    assert parse_browsable(html).filters == ("a",)


# -- hostile or broken input ----------------------------------------------


def test_empty_string_gives_an_empty_page() -> None:
    assert parse_browsable("") == BrowsablePage()


def test_unclosed_tags_and_a_truncated_page_keep_what_was_found() -> None:
    html = (
        '<div id="filtersModal"><div class="modal-body"><form class="form">'
        '<p><input name="first"><p><select name="second"><option>x'
        '<div class="list-group"><a href="?ordering=a"><a href="?ordering=-a">'
        '<input name="third'
    )
    page = parse_browsable(html)
    assert page.filters == ("first", "second")
    assert page.ordering == ("a", "-a")


def test_hostile_names_are_data_never_interpreted() -> None:
    names = ['a"b', "x'); drop", "{{ secret }}", "{% now %}", "a\nb", "tab\there"]
    inputs = "".join(
        f'<input name="{name}">' if '"' not in name else f"<input name='{name}'>"
        for name in names
    )
    page = parse_browsable(modal(f'<form class="form">{inputs}</form>'))
    # Printable names are returned verbatim; control characters drop a name.
    assert page.filters == ('a"b', "x'); drop", "{{ secret }}", "{% now %}")


def test_names_longer_than_the_cap_are_dropped() -> None:
    longest, too_long = "n" * MAX_NAME_CHARS, "n" * (MAX_NAME_CHARS + 1)
    body = (
        f'<form class="form"><input name="{too_long}"><input name="{longest}"></form>'
    )
    assert parse_browsable(modal(body)).filters == (longest,)


def test_ten_thousand_inputs_are_capped_at_the_first_ones() -> None:
    inputs = "".join(f'<input name="f{number}">' for number in range(10_000))
    page = parse_browsable(modal(f'<form class="form">{inputs}</form>'))
    assert len(page.filters) == MAX_ITEMS
    assert page.filters[:2] == ("f0", "f1")


def test_actions_are_capped() -> None:
    items = "".join(
        f'<li><a href="/a{n}/">A{n}</a></li>' for n in range(MAX_ITEMS + 50)
    )
    assert len(parse_browsable(menu(items)).actions) == MAX_ITEMS


def test_unknown_marked_section_does_not_stop_the_parse() -> None:
    # Python's parser raises AssertionError on "<![foo[" before 3.11.13.
    html = "<![foo[ x ]]>" + modal('<input name="after">')
    assert parse_browsable(html).filters == ("after",)


@pytest.mark.timeout(10)
def test_unfinished_tags_at_the_end_are_parsed_in_linear_time() -> None:
    # close() of the stdlib parser takes ~40 s on this input; feed() alone ms.
    html = modal('<input name="kept">') + "<a b='" * 20_000
    assert parse_browsable(html).filters == ("kept",)


def test_nesting_deeper_than_the_cap_is_ignored_not_fatal() -> None:
    headers = '\n<b>Allow:</b> <span class="lit">GET</span>'
    html = response_info(headers) + "<div>" * 10_000 + modal('<input name="deep">')
    page = parse_browsable(html)
    assert page.allowed_methods == ("GET",)
    assert page.filters == ()


def test_non_text_garbage_does_not_raise() -> None:
    garbage = '\x00<\ud800 name="\ud800"></<<!--<?x <!x &#xffffffff; <a href=\''
    assert parse_browsable(modal(garbage) + garbage) == BrowsablePage()


@pytest.mark.timeout(10)
def test_ordering_links_with_many_distinct_arguments_stay_cheap() -> None:
    links = "".join(
        f'<a href="?ordering=f{n}&{"&".join(f"k{n}_{i}=v" for i in range(99))}">'
        for n in range(MAX_ITEMS + 10)
    )
    page = parse_browsable(modal(f'<div class="list-group">{links}</div>'))
    assert page.ordering_param == "ordering"
    assert len(page.ordering) == MAX_ITEMS
