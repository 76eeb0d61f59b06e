"""How a position in a run and an activation read in the window's texts."""

from nnviz.core.formatting import activation_text, epoch_text


def test_an_epochs_end_reads_as_a_whole_number_and_a_point_within_one_with_two_decimals():
    assert [epoch_text(p) for p in (8.0, 0.0, 6.92, 2.5, 8.0000000001)] == ["8", "0", "6.92", "2.50", "8"]


def test_an_activation_near_zero_keeps_its_first_digit_rather_than_reading_as_zero():
    # An untrained network answering with every output near 0 said "(a = 0.00)".
    assert [activation_text(a) for a in (0.99, 0.5, 1.0, 0.0)] == ["0.99", "0.50", "1.00", "0.00"]
    assert activation_text(0.004) == "0.004" and activation_text(0.00003) == "0.00003"
