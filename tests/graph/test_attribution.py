"""The three attribution figures on hand-built cases (SYNTHETIC payments; answers worked out by hand)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from moneytrail.graph import attribution as at

D = Decimal

# Case 1: X -> A -> B.
#   X pays A: Jan 10 100.00, Mar 1 50.00.   Y pays A: Jan 1 300.00 (A's other receipt).
#   A pays B: Jan 5 80.00 (before X's money arrives), Feb 1 70.00, Mar 1 60.00.
HOP1 = [(date(2024, 1, 10), D("100.00")), (date(2024, 3, 1), D("50.00"))]
HOP2 = [(date(2024, 1, 5), D("80.00")), (date(2024, 2, 1), D("70.00")), (date(2024, 3, 1), D("60.00"))]
A_RECEIPTS = [(date(2024, 1, 1), D("300.00")), *HOP1]


def test_direct_amounts_are_the_hop_totals() -> None:
    # 100 + 50 = 150; 80 + 70 + 60 = 210
    assert at.direct([HOP1, HOP2]) == [D("150.00"), D("210.00")]
    assert at.min_along_path([HOP1, HOP2]) == D("150.00")


def test_upper_bound_lets_money_move_only_after_it_arrives() -> None:
    # Jan 5: 80 leaves A but none of X's money has arrived: 0 moves.
    # Jan 10: 100 arrives (available 100). Feb 1: 70 leaves: 70 moves (available 30).
    # Mar 1: 50 arrives first (same day: available 80), then 60 leaves: 60 moves (available 20).
    # Bound = 70 + 60 = 130.00, below the 150.00 of the plain minimum.
    assert at.upper_bound([HOP1, HOP2]) == [D("150.00"), D("130.00")]


def test_proportional_share_of_receipts_before_each_payment() -> None:
    # Jan 5: X's money at A so far 0 -> share 0 -> 0.
    # Feb 1: X 100 of A's 400 (300 + 100) -> 1/4 of 70 = 17.50.
    # Mar 1: X 150 of A's 450 -> 1/3 of 60 = 20.00.  Total 37.50.
    assert at.proportional([HOP1, HOP2], [A_RECEIPTS]) == [D("150.00"), D("37.50")]


def test_three_hops_round_once_at_the_end() -> None:
    # X pays A 100 on Jan 1; A also gets 200 from Y on Jan 1 -> X's share at A is 1/3.
    # A pays B 100 on Jan 2 -> X's share carried: 100/3 = 33.333...
    # B got 50 from Z on Jan 1 and A's 100 on Jan 2: receipts 150; X's share at B = (100/3)/150 = 2/9.
    # B pays C 10 on Jan 3 -> 20/9 = 2.2222... -> 2.22.   Bound: 100, min(100, 100) = 100, then 10.
    hops = [[(date(2024, 1, 1), D("100.00"))], [(date(2024, 1, 2), D("100.00"))], [(date(2024, 1, 3), D("10.00"))]]
    receipts = [[(date(2024, 1, 1), D("100.00")), (date(2024, 1, 1), D("200.00"))],
                [(date(2024, 1, 1), D("50.00")), (date(2024, 1, 2), D("100.00"))]]
    assert at.proportional(hops, receipts) == [D("100.00"), D("33.33"), D("2.22")]
    assert at.upper_bound(hops) == [D("100.00"), D("100.00"), D("10.00")]
    figures = at.attribute(hops, receipts)
    assert figures["upper_bound"] == D("10.00") and figures["proportional"] == D("2.22")


def test_rounding_is_half_to_even_on_the_exact_value() -> None:
    assert at.cents(Fraction(1, 200)) == D("0.00")   # 0.005 -> 0.00 (even)
    assert at.cents(Fraction(3, 200)) == D("0.02")   # 0.015 -> 0.02 (even)
    assert at.cents(Fraction(1, 3)) == D("0.33")
    # Rounding each of three shares of 1/3 cent would give 0.00; rounding their exact sum gives 0.01.
    third_cent = [(date(2024, 1, 2), D("0.01"))] * 3
    assert at.proportional([[(date(2024, 1, 1), D("1.00"))], third_cent],
                           [[(date(2024, 1, 1), D("3.00"))]]) == [D("1.00"), D("0.01")]


def test_undated_payments_are_left_out_of_the_time_figures() -> None:
    hops = [[(date(2024, 1, 1), D("10.00")), (None, D("5.00"))], [(None, D("7.00"))]]
    assert at.direct(hops) == [D("15.00"), D("7.00")]
    assert at.upper_bound(hops)[-1] == D("0.00")
    assert at.undated(hops) == D("12.00")
