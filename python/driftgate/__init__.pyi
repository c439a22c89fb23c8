# Type stubs of the driftgate package (the extension module _driftgate and the Python layer).
import os
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

import numpy as np
import numpy.typing as npt

from .errors import (BadDataError as BadDataError, BadFormatError as BadFormatError, BadLabelError as BadLabelError,
                     DriftgateError as DriftgateError, EmptySampleError as EmptySampleError,
                     InvalidParameterError as InvalidParameterError, LengthMismatchError as LengthMismatchError,
                     NegativeWeightError as NegativeWeightError, NoInputError as NoInputError,
                     NonFiniteError as NonFiniteError, NothingToJudgeError as NothingToJudgeError,
                     OneClassError as OneClassError, OutputError as OutputError,
                     SystemResourceError as SystemResourceError, UsageError as UsageError)

__version__: str

ArrayLike = npt.ArrayLike
PathLike = Union[str, os.PathLike]
Data = Any  # pandas.DataFrame, Mapping[str, array], CSV or profile path, dask.dataframe.DataFrame, Profile

class KSResult:
    statistic: float
    pvalue: float
    log_pvalue: float
    statistic_location: float
    statistic_sign: int
    method: str
    fell_back: bool
    n1: int
    n2: int
    missing1: int
    missing2: int
    alternative: str

class PSIResult:
    value: float
    kind: str
    bins: List[Dict[str, Any]]
    smoothed: bool
    empty_reference_bins: int
    empty_current_bins: int
    epsilon: float
    reference_n: int
    current_n: int
    binning: str
    def __float__(self) -> float: ...

class Chi2Result:
    statistic: float
    statistic_uncorrected: float
    pvalue: float
    log_pvalue: float
    dof: int
    yates: bool
    cramers_v: float
    categories: int
    n_reference: int
    n_current: int

class WassersteinResult:
    distance: float
    reference_std: float
    normalized: float
    n_reference: int
    n_current: int
    missing_reference: int
    missing_current: int
    def __float__(self) -> float: ...

class AUCResult:
    auc: float
    gini: float
    n_pos: float
    n_neg: float
    def __float__(self) -> float: ...

class ClassifierKSResult:
    statistic: float
    threshold: float
    tpr: float
    fpr: float

class DeLongResult:
    auc: float
    variance: float
    std_error: float
    ci_lower: float
    ci_upper: float
    level: float

class AUCComparison:
    auc1: float
    auc2: float
    difference: float
    std_error: float
    z: float
    pvalue: float
    paired: bool

class ShareResult:
    share: float
    count: int
    n: int
    missing: int
    ci_lower: float
    ci_upper: float
    level: float

class MeanResult:
    mean: float
    std_dev: float
    n: int
    missing: int
    ci_lower: float
    ci_upper: float
    level: float

def ks_2samp(reference: ArrayLike, current: ArrayLike, alternative: str = "two-sided", method: str = "auto") -> KSResult: ...
def psi(reference: ArrayLike, current: ArrayLike, bins: int = 10, binning: str = "auto", max_distinct: int = 0,
        edges: Optional[Sequence[float]] = None, epsilon: float = 1e-4) -> PSIResult: ...
def csi(reference: ArrayLike, current: ArrayLike, bins: int = 10, binning: str = "auto", max_distinct: int = 0,
        edges: Optional[Sequence[float]] = None, epsilon: float = 1e-4) -> PSIResult: ...
def chi2(reference: ArrayLike, current: ArrayLike, yates: bool = True, counts: bool = False) -> Chi2Result: ...
def jensen_shannon(p: ArrayLike, q: ArrayLike, base: float = 2.0) -> float: ...
def wasserstein(reference: ArrayLike, current: ArrayLike) -> WassersteinResult: ...
def roc_auc(scores: ArrayLike, labels: ArrayLike, weights: Optional[ArrayLike] = None) -> AUCResult: ...
def classifier_ks(scores: ArrayLike, labels: ArrayLike, weights: Optional[ArrayLike] = None) -> ClassifierKSResult: ...
def delong(scores: ArrayLike, labels: ArrayLike, level: float = 0.95) -> DeLongResult: ...
def compare_auc_paired(scores1: ArrayLike, scores2: ArrayLike, labels: ArrayLike) -> AUCComparison: ...
def compare_auc_unpaired(scores1: ArrayLike, labels1: ArrayLike, scores2: ArrayLike, labels2: ArrayLike) -> AUCComparison: ...
def brier_score(probabilities: ArrayLike, labels: ArrayLike, weights: Optional[ArrayLike] = None) -> float: ...
def log_loss(probabilities: ArrayLike, labels: ArrayLike, weights: Optional[ArrayLike] = None) -> float: ...
def share_above(values: ArrayLike, threshold: float, level: float = 0.95) -> ShareResult: ...
def share_below(values: ArrayLike, threshold: float, level: float = 0.95) -> ShareResult: ...
def event_rate(flags: ArrayLike, level: float = 0.95) -> ShareResult: ...
def mean_score(scores: ArrayLike, level: float = 0.95) -> MeanResult: ...

class Policy:
    @staticmethod
    def from_toml(text: str, name: str = ...) -> Policy: ...
    @staticmethod
    def load(path: str) -> Policy: ...
    @staticmethod
    def from_dict(d: Mapping[str, Any], name: str = ...) -> Policy: ...
    source: str
    score: str
    label: str
    features: List[str]
    exclude: List[str]
    probability: bool
    checks: Dict[str, bool]
    reference: str
    current: str
    threads: int
    def with_columns(self, features: Optional[List[str]] = None, score: Optional[str] = None,
                     label: Optional[str] = None) -> Policy: ...
    def feature_kind(self, column: str) -> Optional[str]: ...

def policy(config: Union[Policy, PathLike, Mapping[str, Any], None] = None) -> Policy: ...

class Profile:
    source: str
    rows: int
    created: int
    version: str
    header: List[str]
    score: str
    label: str
    columns: List[str]
    has_classes: bool
    nbytes: int
    def column(self, name: str) -> Dict[str, Any]: ...
    def to_bytes(self) -> bytes: ...
    def save(self, path: str) -> None: ...
    def merge(self, other: Profile) -> Profile: ...

def profile(data: Data, columns: Optional[Union[str, Sequence[str]]] = None, score: Optional[str] = None,
            label: Optional[str] = None, config: Union[Policy, PathLike, Mapping[str, Any], None] = None,
            source: Optional[str] = None) -> Profile: ...
def load_profile(path: str) -> Profile: ...
def profile_from_bytes(data: bytes, name: str = ...) -> Profile: ...
def merge_profiles(a: Profile, b: Profile) -> Profile: ...

class Check:
    section: str
    check: str
    column: str
    segment: str
    window: str
    value: Optional[float]
    severity: str
    note: str
    thresholds: Any
    details: Any
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self, indent: int = 2) -> str: ...

class Report:
    command: str
    checks: List[Check]
    notes: List[str]
    status: str
    def gate_fails(self, fail_on: str = "critical") -> bool: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_json(self, indent: int = 2) -> str: ...
    def __len__(self) -> int: ...

def evaluate(reference: Data, current: Data, config: Union[Policy, PathLike, Mapping[str, Any], None] = None,
             threads: Optional[int] = None, command: str = "check") -> Report: ...
