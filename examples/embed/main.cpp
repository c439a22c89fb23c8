// Embedding driftgate in a C++ service: a reference prepared once, a current batch scored
// against it, and the rules of docs/policy.md applied. Build: see CMakeLists.txt next to this file.
#include <cstdio>
#include <random>
#include <vector>

#include <driftgate/driftgate.hpp>

int main() {
    // A reference sample of a feature and the scores/labels of a labelled current batch.
    std::mt19937_64 gen(1);
    std::normal_distribution<double> ref_dist(0.30, 0.10), cur_dist(0.36, 0.12);
    std::vector<double> reference(5000), current(2000);
    for (auto& v : reference) v = ref_dist(gen);
    for (auto& v : current) v = cur_dist(gen);

    // Drift: prepare the reference once (sorted values, bin edges, counts), score the batch.
    const driftgate::sorted_sample ref = driftgate::sort_sample(reference);
    const driftgate::sorted_sample cur = driftgate::sort_sample(current);
    const driftgate::psi_reference prepared = driftgate::prepare_psi_reference(ref);
    const driftgate::psi_result p = driftgate::psi(prepared, cur);
    const driftgate::ks_result k = driftgate::ks_2samp(ref, cur);

    // Performance: AUC of a score against outcomes.
    std::vector<double> score(current.size());
    std::vector<int> label(current.size());
    std::uniform_real_distribution<double> u(0.0, 1.0);
    for (std::size_t i = 0; i < current.size(); ++i) {
        score[i] = current[i];
        label[i] = u(gen) < current[i] ? 1 : 0;
    }
    const driftgate::auc_result auc = driftgate::roc_auc(score, label);

    // Judge with the rules of docs/policy.md (severity.hpp's spec::).
    using driftgate::judge;
    namespace spec = driftgate::spec;
    const auto psi_level = judge(spec::psi(true), p.value).level;
    const auto ks_level = judge(spec::ks_pvalue(), k.pvalue).level;
    const auto auc_level = judge(spec::auc(), auc.auc).level;
    std::printf("PSI %.4f (%s), KS D %.4f p %.3g ln p %.2f (%s), AUC %.4f (%s)\n", p.value,
                driftgate::to_string(psi_level), k.statistic, k.pvalue, k.log_pvalue, driftgate::to_string(ks_level),
                auc.auc, driftgate::to_string(auc_level));
    const driftgate::severity overall = driftgate::worst(driftgate::worst(psi_level, ks_level), auc_level);
    std::printf("overall: %s (driftgate %s)\n", driftgate::to_string(overall), driftgate::version_string);
    // A service would alert here; a CI gate would exit non-zero (see `driftgate --help`).
    return 0;
}
