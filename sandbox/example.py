"""A partner's first steps with the generated bindings of the sandbox.

Run by ``make demo`` after ``acebind generate demo``: a page of items, an
upsert, and a sync of what changed since a sync counter.
"""

from __future__ import annotations

import sys

from storesace_demo import Client, ValidationError
from storesace_demo.models.customers import Customer


def main(root: str) -> int:
    with Client(root, username="demo-api", password="demo-pass") as client:
        page = next(client.items.pages(page_size=10, store=1))
        print(f"items in store 1: {page.count}; the first page holds {len(page.records)}:")
        for item in page.records[:3]:
            print(f"  {item.item_id}  {item.item_description}  status {item.status}")

        before = client.customers.changes_since(None)
        print(f"customers: {len(before.records)}, high-water sync counter "
              f"{before.high_water}")

        customer = Customer(customer_id=9001, organization_name="Demo Partner Lda")
        client.customers.upsert(customer)
        print("upserted customer 9001")

        changed = client.customers.changes_since(before.high_water)
        print(f"changed since {before.high_water}: "
              f"{[c.customer_id for c in changed.records]}")

        try:
            client.customers.upsert(Customer(customer_id=9002, organization_name=""))
        except ValidationError as error:
            print(f"the server refused an invalid customer: {error.errors}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
