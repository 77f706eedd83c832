// Compiled without the vectorizer (CMakeLists.txt): the tests of stride and overlap it puts
// before a loop cost more than these loops of a few iterations.
#include "kernels/tiny_product.hpp"

#include "kernels/tiny_product_loops.hpp"

namespace dense::kernels {

template <class T>
void tiny_product(Transpose trans_a, Transpose trans_b, std::size_t m, std::size_t n, std::size_t k, const T* a,
                  std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc, Epilogue<T> epilogue) {
    const Product<T> product{{a, lda, trans_a}, {b, ldb, trans_b}, m, n, k, beta, c, ldc, epilogue};
    tiny_loops(product, [](T sum, T x, T y) { return sum + x * y; });
}

template void tiny_product<float>(Transpose, Transpose, std::size_t, std::size_t, std::size_t, const float*,
                                  std::size_t, const float*, std::size_t, float, float*, std::size_t, Epilogue<float>);
template void tiny_product<double>(Transpose, Transpose, std::size_t, std::size_t, std::size_t, const double*,
                                   std::size_t, const double*, std::size_t, double, double*, std::size_t,
                                   Epilogue<double>);

}  // namespace dense::kernels
