"""Who is responsible, anywhere in Germany: records, rules and levels, each answer explained.

Public surface: :class:`Resolver` (``answer(leika_key, service_name, place, records)``) and
:class:`RuleBook` (the tables of ``finder/data/rules``, loaded with :meth:`RuleBook.load`).
"""

from finder.responsibility.resolver import Resolver
from finder.responsibility.rules import RuleBook

__all__ = ["Resolver", "RuleBook"]
