// GFLOP/s of kernels::gemm (each instruction set, 1 and 2 threads) next to OpenBLAS sgemm on
// the shapes the benchmark networks run: the "FLOPS" column counts 2·m·n·k per product, per
// second of wall-clock time (threads included).
//   ./bench_kernels --benchmark_filter=W2
#include <benchmark/benchmark.h>
#include <cblas.h>

#include <string>
#include <vector>

#include "dense/random.hpp"
#include "dense/threads.hpp"
#include "kernels/elementwise.hpp"
#include "kernels/gemm.hpp"

namespace {

using dense::kernels::Isa;
using dense::kernels::Transpose;

struct Shape {
    const char* name;
    int m, n, k;
    Transpose trans_a, trans_b;
};

// The MLP 784-256-128-10 at batch 128 and 32 (W2), its batch-1 inference (W3) and the wide MLP (W4).
const std::vector<Shape> shapes = {
    {"W2/forward_784x256", 128, 256, 784, Transpose::no, Transpose::no},
    {"W2/kernel_grad_784x256", 784, 256, 128, Transpose::yes, Transpose::no},
    {"W2/forward_256x128", 128, 128, 256, Transpose::no, Transpose::no},
    {"W2/input_grad_256x128", 128, 256, 128, Transpose::no, Transpose::yes},
    {"W2b32/forward_784x256", 32, 256, 784, Transpose::no, Transpose::no},
    {"W2b32/kernel_grad_784x256", 784, 256, 32, Transpose::yes, Transpose::no},
    {"W2b32/forward_256x128", 32, 128, 256, Transpose::no, Transpose::no},
    {"W2b32/kernel_grad_256x128", 256, 128, 32, Transpose::yes, Transpose::no},
    {"W2b32/input_grad_256x128", 32, 256, 128, Transpose::no, Transpose::yes},
    {"W3/batch1_784x256", 1, 256, 784, Transpose::no, Transpose::no},
    {"W4/forward_1024x1024", 256, 1024, 1024, Transpose::no, Transpose::no},
    {"W4/kernel_grad_1024x1024", 1024, 1024, 256, Transpose::yes, Transpose::no},
    {"W4/input_grad_1024x1024", 256, 1024, 1024, Transpose::no, Transpose::yes},
};

struct Operands {
    std::vector<float> a, b, c, bias;
    explicit Operands(const Shape& s) : a(std::size_t(s.m) * s.k), b(std::size_t(s.k) * s.n), c(std::size_t(s.m) * s.n), bias(s.n) {
        dense::Rng rng(1);
        for (auto* values : {&a, &b, &bias})
            for (auto& v : *values) v = static_cast<float>(rng.uniform(-1.0, 1.0));
    }
};

// Leading dimensions of the stored (untransposed) operands.
int lda(const Shape& s) { return s.trans_a == Transpose::no ? s.k : s.m; }
int ldb(const Shape& s) { return s.trans_b == Transpose::no ? s.n : s.k; }

void report_flops(benchmark::State& state, const Shape& s) {
    state.counters["FLOPS"] = benchmark::Counter(2.0 * s.m * s.n * s.k, benchmark::Counter::kIsIterationInvariantRate,
                                                 benchmark::Counter::OneK::kIs1000);
}

void dense_gemm(benchmark::State& state, Shape s, Isa isa, std::size_t threads, bool epilogue) {
    if (isa == Isa::avx2_fma && dense::kernels::best_isa() != isa) {
        state.SkipWithError("no AVX2/FMA on this CPU");
        return;
    }
    dense::kernels::use_isa(isa);
    dense::set_num_threads(threads);
    Operands x(s);
    const dense::kernels::Epilogue<float> fused{epilogue ? x.bias.data() : nullptr, epilogue};
    for (auto _ : state) {
        dense::kernels::gemm(s.trans_a, s.trans_b, s.m, s.n, s.k, x.a.data(), lda(s), x.b.data(), ldb(s), 0.0f,
                             x.c.data(), s.n, fused);
        benchmark::DoNotOptimize(x.c.data());
    }
    report_flops(state, s);
}

void openblas_sgemm(benchmark::State& state, Shape s, int threads) {
    openblas_set_num_threads(threads);
    Operands x(s);
    const auto trans = [](Transpose t) { return t == Transpose::no ? CblasNoTrans : CblasTrans; };
    for (auto _ : state) {
        cblas_sgemm(CblasRowMajor, trans(s.trans_a), trans(s.trans_b), s.m, s.n, s.k, 1.0f, x.a.data(), lda(s),
                    x.b.data(), ldb(s), 0.0f, x.c.data(), s.n);
        benchmark::DoNotOptimize(x.c.data());
    }
    report_flops(state, s);
}

// Adam over the 235,146 parameters of the W2 network: 12 floating-point operations per element
// (the FLOPS column) and 28 bytes moved (w, g, m, v read; w, m, v written).
void adam(benchmark::State& state, Isa isa, std::size_t threads) {
    if (isa == Isa::avx2_fma && dense::kernels::best_isa() != isa) {
        state.SkipWithError("no AVX2/FMA on this CPU");
        return;
    }
    dense::kernels::use_isa(isa);
    dense::set_num_threads(threads);
    const std::size_t count = 235146;
    std::vector<float> w(count, 0.1f), g(count, 0.01f), m(count), v(count);
    for (auto _ : state) {
        dense::kernels::adam_update<float>(w, g, m, v, 1e-3f, 0.9f, 0.999f, 1e-7f);
        benchmark::DoNotOptimize(w.data());
    }
    state.counters["FLOPS"] = benchmark::Counter(12.0 * count, benchmark::Counter::kIsIterationInvariantRate,
                                                 benchmark::Counter::OneK::kIs1000);
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * count * 28));
}

void register_all() {
    for (int threads : {1, 2}) {
        benchmark::RegisterBenchmark(("adam_avx2/W2/threads:" + std::to_string(threads)).c_str(), adam, Isa::avx2_fma,
                                     threads)
            ->UseRealTime();
        benchmark::RegisterBenchmark(("adam_portable/W2/threads:" + std::to_string(threads)).c_str(), adam,
                                     Isa::portable, threads)
            ->UseRealTime();
    }
    for (const Shape& s : shapes)
        for (int threads : {1, 2}) {
            const std::string suffix = std::string(s.name) + "/threads:" + std::to_string(threads);
            benchmark::RegisterBenchmark(("dense_avx2/" + suffix).c_str(), dense_gemm, s, Isa::avx2_fma, threads, false)
                ->UseRealTime();
            benchmark::RegisterBenchmark(("dense_avx2_bias_relu/" + suffix).c_str(), dense_gemm, s, Isa::avx2_fma,
                                         threads, true)
                ->UseRealTime();
            benchmark::RegisterBenchmark(("dense_portable/" + suffix).c_str(), dense_gemm, s, Isa::portable, threads,
                                         false)
                ->UseRealTime();
            benchmark::RegisterBenchmark(("openblas/" + suffix).c_str(), openblas_sgemm, s, threads)->UseRealTime();
        }
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    register_all();
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
}
