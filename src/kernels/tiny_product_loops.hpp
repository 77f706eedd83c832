#pragma once
// tiny_product's loops, for either way of adding a product to a sum: `add_product(sum, a, b)`
// rounds a·b and then the sum (tiny_product.cpp), or rounds once, as an FMA instruction does
// (tiny_product_fused.cpp, whose sums then equal the AVX2 kernels' to the bit). Internal to each
// file that includes it, which compiles them for its own instruction set.
#include <cstddef>

#include "kernels/product.hpp"

namespace dense::kernels {
namespace {  // NOLINT(google-build-namespaces): each includer's own copy

// C[i][j] = Σₚ op(A)[i][p]·op(B)[p][j] + β·C[i][j], one dot product per element.
template <class T, class AddProduct>
void tiny_dots(const Product<T>& product, AddProduct add_product) {
    // op(X)[i][p] = x[i·row_step + p·column_step]
    const std::size_t a_row = product.a.row_step(), a_column = product.a.column_step();
    const std::size_t b_row = product.b.row_step(), b_column = product.b.column_step();
    for (std::size_t i = 0; i < product.m; ++i)
        for (std::size_t j = 0; j < product.n; ++j) {
            const T* a = product.a.data + i * a_row;
            const T* b = product.b.data + j * b_column;
            T acc = 0;
            for (std::size_t p = 0; p < product.k; ++p) acc = add_product(acc, a[p * a_column], b[p * b_row]);
            T& c = product.c[i * product.ldc + j];
            c = product.beta == T(0) ? acc : product.beta * c + acc;
        }
}

// The same sums for β = 0, k ≥ 1 and one column of C at a time, rows innermost, for products with
// more rows than depth (a one-neuron layer's forward pass over a batch): each step of p adds
// A[i][p]·B[p][j] to a sum that starts at zero, the additions of the dot form in the same order.
// The first step writes C and the last adds the bias, so that a one-input layer's column is
// passed over once.
template <class T, class AddProduct>
void tiny_column_sweeps(const Product<T>& product, AddProduct add_product) {
    const std::size_t a_row = product.a.row_step(), a_column = product.a.column_step();
    const std::size_t b_row = product.b.row_step(), b_column = product.b.column_step();
    const std::size_t m = product.m, k = product.k, ldc = product.ldc;
    const T* bias = product.epilogue.bias;
    for (std::size_t j = 0; j < product.n; ++j) {
        T* c = product.c + j;
        for (std::size_t p = 0; p < k; ++p) {
            const T* a = product.a.data + p * a_column;
            const T b = product.b.data[p * b_row + j * b_column];
            const bool adds_bias = bias && p + 1 == k;  // the last step: (Σₚ A[i][p]·B[p][j]) + b[j]
            const T add = adds_bias ? bias[j] : T(0);
            if (p == 0 && !adds_bias)
                for (std::size_t i = 0; i < m; ++i) c[i * ldc] = add_product(T(0), a[i * a_row], b);
            else if (p == 0)
                for (std::size_t i = 0; i < m; ++i) c[i * ldc] = add_product(T(0), a[i * a_row], b) + add;
            else if (!adds_bias)
                for (std::size_t i = 0; i < m; ++i) c[i * ldc] = add_product(c[i * ldc], a[i * a_row], b);
            else
                for (std::size_t i = 0; i < m; ++i) c[i * ldc] = add_product(c[i * ldc], a[i * a_row], b) + add;
        }
    }
}

// max(C, 0) when relu, then G > 0 ? C : 0 when gated (TileUpdate's last block, after the bias),
// a column at a time: a one-neuron layer's C is one column.
template <class T>
void tiny_activation(const Product<T>& product) {
    const Epilogue<T>& e = product.epilogue;
    const std::size_t ldc = product.ldc;
    for (std::size_t j = 0; j < product.n; ++j) {
        T* c = product.c + j;
        if (e.relu)
            for (std::size_t i = 0; i < product.m; ++i) c[i * ldc] = c[i * ldc] < T(0) ? T(0) : c[i * ldc];  // NaN stays
        if (e.gate)
            for (std::size_t i = 0; i < product.m; ++i)
                if (!(e.gate[i * e.ld_gate + j] > T(0))) c[i * ldc] = T(0);
    }
}

// C ← C + b: the bias of the dot form, which the sweeps add themselves.
template <class T>
void tiny_bias(const Product<T>& product) {
    const T* bias = product.epilogue.bias;
    for (std::size_t i = 0; i < product.m; ++i)
        for (std::size_t j = 0; j < product.n; ++j) product.c[i * product.ldc + j] += bias[j];
}

}  // namespace

namespace {

// Plain loops, none of which decides per element what to do; k = 0 leaves β·C and the epilogue.
template <class T, class AddProduct>
void tiny_loops(const Product<T>& product, AddProduct add_product) {
    if (product.beta == T(0) && product.m > product.k && product.k > 0) {
        tiny_column_sweeps(product, add_product);
    } else {
        tiny_dots(product, add_product);
        if (product.epilogue.bias) tiny_bias(product);
    }
    if (product.epilogue.relu || product.epilogue.gate) tiny_activation(product);
}

}  // namespace

}  // namespace dense::kernels
