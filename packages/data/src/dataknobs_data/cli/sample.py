"""A realistic, deterministic sample dataset for ``dataknobs demo``: people and their orders.

Each person has text, integers, floats, Decimals, booleans, dates, UTC
datetimes, a nested address dict, a tags list and a list of order dicts; some
values are null and some fields are missing, as in real data.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal

from dataknobs_data.records import Record

__all__ = ["CITIES", "TAGS", "people"]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Names from computing history and from around the world (non-ASCII on purpose).
_FIRST = _words(
    "Ada Alan Grace Linus Margaret Dennis Barbara Ken Frances Edsger Annie Tim Radia Guido "
    "Hedy Niklaus Katherine John Sophie Bjarne Anita Donald Karen Yukihiro Mary Anders Fran "
    "Andrea Ángel Zoë Émilie Søren Anh Amara Andrés Antonio Ines Kwame Mei Olga"
)
_LAST = _words(
    "Lovelace Turing Hopper Torvalds Hamilton Ritchie Liskov Thompson Allen Dijkstra Easley "
    "Berners-Lee Perlman Rossum Lamarr Wirth Johnson McCarthy Wilson Stroustrup Borg Knuth "
    "Jones Matsumoto Shaw Hejlsberg Nguyen Okafor Müller Ødegaard García Costa Silva Mensah Chen"
)
CITIES = (
    ("Oslo", "NO", "0150"),
    ("Berlin", "DE", "10115"),
    ("Paris", "FR", "75001"),
    ("Lisbon", "PT", "1100-148"),
    ("Tokyo", "JP", "100-0001"),
    ("Toronto", "CA", "M5H 2N2"),
    ("Nairobi", "KE", "00100"),
    ("São Paulo", "BR", "01000-000"),
    ("Melbourne", "AU", "3000"),
    ("Reykjavík", "IS", "101"),
)
_CITY_WEIGHTS = (12, 14, 13, 8, 15, 10, 7, 11, 7, 3)
TAGS = ("vip", "newsletter", "beta", "churn-risk", "partner", "mobile")
_DOMAINS = ("example.org", "example.com", "mail.example.net")
_TODAY = dt.date(2025, 6, 1)
_EPOCH = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
_SPAN = int((dt.datetime(2025, 6, 1, tzinfo=dt.UTC) - _EPOCH).total_seconds())


def people(count: int, seed: int = 42) -> Iterator[Record]:
    """Yield ``count`` person records with ids ``p00001``...; the same seed, the same data.

    Example:
        >>> first = next(people(1))
        >>> first.id, sorted(first.fields["address"].value)
        ('p00001', ['city', 'country', 'zip'])
    """
    rng = random.Random(seed)
    for number in range(1, count + 1):
        yield _person(rng, number)


def _person(rng: random.Random, number: int) -> Record:
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    city, country, zip_code = rng.choices(CITIES, weights=_CITY_WEIGHTS)[0]
    age = rng.randint(18, 90)
    born = _TODAY.replace(year=_TODAY.year - age) - dt.timedelta(days=rng.randint(1, 364))
    signed_up = _EPOCH + dt.timedelta(seconds=rng.randrange(_SPAN))
    orders = [_order(rng, signed_up) for _ in range(min(int(rng.expovariate(0.5)), 6))]
    data: dict[str, object] = {
        "name": f"{first} {last}",
        "email": f"{first}.{last}{number}@{rng.choice(_DOMAINS)}".lower(),
        "age": age,
        "born": born,
        "address": {"city": city, "country": country, "zip": zip_code},
        "tags": sorted(rng.sample(TAGS, k=rng.choice((0, 0, 1, 1, 1, 2, 3)))),
        "balance": Decimal(rng.randint(0, 1_000_000)).scaleb(-2),
        "score": round(rng.uniform(0, 5), 2),
        "active": rng.random() > 0.15,
        "signed_up": signed_up,
        "orders": orders,
    }
    if rng.random() < 0.8:
        data["phone"] = f"+{rng.randint(1, 99)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
    roll = rng.random()
    if roll < 0.03:
        data["age"] = None  # unknown age
    elif roll < 0.05:
        del data["born"]  # never asked
    if rng.random() < 0.04:
        data["score"] = None
    return Record(data, id=f"p{number:05d}")


def _order(rng: random.Random, after: dt.datetime) -> dict[str, object]:
    placed = after + dt.timedelta(hours=rng.randint(1, 20_000))
    return {
        "placed": placed.date(),
        "total": Decimal(rng.randint(500, 50_000)).scaleb(-2),
        "items": rng.randint(1, 5),
    }
