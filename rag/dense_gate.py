"""Whether a query needs the dense leg at all.

Embedding a question costs more than everything else in an answer (a MiniLM forward pass
plus a Chroma query), while with weighted fusion the dense score can move a chunk by at
most its weight. When the lexical ranking already puts the top chunk ahead of the second
by a clear margin, the dense score cannot change which chunk answers, so it is not computed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DenseGate:
    """``margin``: the lead (in fused-score units) of the lexical top chunk over the second
    above which dense search is skipped. ``inf`` always runs dense; ``0`` runs it only on
    exact ties and on questions with no lexical match at all."""

    margin: float

    def needs_dense(self, ranking: np.ndarray, fusion: str) -> bool:
        """``ranking``: the final scores the query gets without dense (boosts and filters applied)."""
        if fusion != "weighted" or math.isinf(self.margin):
            # Rank fusion gives dense a full vote: no margin bounds what it can change.
            return True
        lead = lexical_lead(ranking)
        return lead is None or lead <= self.margin


def lexical_lead(ranking: np.ndarray) -> float | None:
    """How far the best chunk is ahead of the second; None when nothing matched lexically."""
    if ranking.size == 0:
        return None
    if ranking.size == 1:
        return float(ranking[0]) if ranking[0] > 0 else None
    top_two = np.partition(ranking, ranking.size - 2)[-2:]
    best, second = float(top_two[1]), float(top_two[0])
    return best - second if best > 0 else None
