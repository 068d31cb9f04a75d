#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes the Kafka test inputs of this directory (run it here; the output is committed):
#  original_*.jsonl  events as the original Python GlobalMart producers wrote them: naive
#                    timestamps from datetime.isoformat(), for the "-topic" topics;
#  bad_transactions.jsonl  malformed transactions between good ones, one per line, each bad
#                    line's expected reason in bad_transactions.reasons (same order).
# Ids stay inside the tests' catalog (1,000 users, 200 products).
import json, random, uuid

rng = random.Random(2024)
COUNTRIES = ["USA", "UK", "Germany", "France", "Japan"]
PAYMENTS = ["Credit Card", "Debit Card", "PayPal", "Apple Pay", "Google Pay"]
CATEGORIES = ["Laptops", "Men's Shoes", "Fiction Books", "Yoga Mats", "Skincare", "Puzzles"]

def uid():
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))

def ts(i):
    return "2024-11-25T10:%02d:%02d.%06d" % (i // 60 % 60, i % 60, (i * 7919) % 1000000)

def user():
    return "USER_%08d" % rng.randint(1, 1000)

def product():
    return "PROD_%08d" % rng.randint(1, 200)

def transaction(i):
    lines, total = [], 0
    for _ in range(rng.randint(1, 3)):
        price = rng.randint(500, 50000)
        qty = rng.randint(1, 3)
        lines.append({"product_id": product(), "quantity": qty, "price": price / 100})
        total += price * qty
    return {"transaction_id": uid(), "user_id": user(), "timestamp": ts(i), "products": lines,
            "total_amount": total / 100, "payment_method": rng.choice(PAYMENTS),
            "country": rng.choice(COUNTRIES)}

def cart(i):
    price = rng.randint(500, 50000) / 100
    qty = rng.choice([1, 1, 1, 2, 2, 3])
    return {"event_id": uid(), "event_type": "add_to_cart", "timestamp": ts(i), "user_id": user(),
            "session_id": uid(), "country": rng.choice(COUNTRIES), "product_id": product(),
            "product_name": "Nexa Thing %d" % i, "category": rng.choice(CATEGORIES),
            "price": price, "quantity": qty, "cart_size": 1, "cart_value": round(price * qty, 2)}

def view(i):
    if i % 4 == 3:
        return {"event_id": uid(), "event_type": "search", "timestamp": ts(i), "user_id": user(),
                "session_id": uid(), "country": rng.choice(COUNTRIES), "search_query": "laptop",
                "results_count": rng.randint(0, 50)}
    return {"event_id": uid(), "event_type": "view", "timestamp": ts(i), "user_id": user(),
            "session_id": uid(), "country": rng.choice(COUNTRIES), "product_id": product(),
            "product_name": "Nexa Thing %d" % i, "category": rng.choice(CATEGORIES),
            "price": rng.randint(500, 50000) / 100, "view_duration": rng.randint(5, 120),
            "from_search": False, "search_query": None, "previously_viewed_count": i % 3}

def dump(event):
    return json.dumps(event, ensure_ascii=False)

for name, make, count in [("transactions", transaction, 40), ("cart_events", cart, 30),
                          ("product_views", view, 50)]:
    with open("original_%s.jsonl" % name, "w") as out:
        for i in range(count):
            out.write(dump(make(i)) + "\n")

bad = []
def mutate(reason, change):
    event = transaction(1000 + len(bad))
    text = change(event)
    bad.append((reason, text if isinstance(text, str) else dump(event)))

mutate("malformed_json", lambda e: dump(e)[:-20])
mutate("wrong_type", lambda e: e.update(total_amount=str(e["total_amount"])))
mutate("unknown_country", lambda e: e.update(country="Atlantis"))
mutate("total_mismatch", lambda e: e.update(total_amount=round(e["total_amount"] + 3.5, 2)))
mutate("not_an_object", lambda e: "[1, 2, 3]")
mutate("missing_field", lambda e: e.pop("payment_method") and None)
mutate("bad_user_id", lambda e: e.update(user_id="USR_12"))
mutate("bad_timestamp", lambda e: e.update(timestamp="yesterday at noon"))
mutate("quantity_out_of_range", lambda e: e["products"][0].update(quantity=0))
mutate("unknown_payment_method", lambda e: e.update(payment_method="Bitcoin"))
mutate("malformed_json", lambda e: "not json at all")

with open("bad_transactions.jsonl", "w") as out, open("bad_transactions.reasons", "w") as reasons:
    for i, (reason, text) in enumerate(bad):
        out.write(dump(transaction(2000 + 2 * i)) + "\n")
        out.write(text + "\n")
        reasons.write(reason + "\n")
    out.write(dump(transaction(2999)) + "\n")

# Rules added later, appended as bad-then-good pairs so that the lines above stay as they were
# and every bad line keeps an odd line index.
def distinct_products(i):
    while True:
        event = transaction(i)
        ids = [line["product_id"] for line in event["products"]]
        if len(ids) == len(set(ids)):
            return event

def duplicate_line(e):
    e["products"] = [e["products"][0], dict(e["products"][0])]
    line = e["products"][0]
    e["total_amount"] = round(2 * line["price"] * line["quantity"], 2)

later = []
for reason, change in [("timestamp_out_of_range", lambda e: e.update(timestamp="9999-12-31T23:59:59Z")),
                       ("duplicate_product", duplicate_line)]:
    event = distinct_products(3000 + len(later))
    change(event)
    later.append((reason, dump(event)))
with open("bad_transactions.jsonl", "a") as out, open("bad_transactions.reasons", "a") as reasons:
    for i, (reason, text) in enumerate(later):
        out.write(text + "\n")
        out.write(dump(distinct_products(3100 + i)) + "\n")
        reasons.write(reason + "\n")
