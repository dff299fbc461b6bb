// The implementation of ctorch.h over ATen. Every exported function runs its body through
// `guarded`, which turns any C++ exception into status 1 and a message in a thread-local slot.

#ifdef CTORCH_LIBTORCH_MISSING
#error "libtorch was not found: LIBTORCH is unset or has no include/ATen/ATen.h, and .venv holds no PyTorch. Run scripts/setup.sh (it installs PyTorch into .venv), or set LIBTORCH to a libtorch folder holding include/ and lib/, then run swift package clean"
#endif

#include "ctorch.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/GradMode.h>
#include <torch/version.h>

#include <cmath>
#include <exception>
#include <string>
#include <vector>

namespace {

thread_local std::string lastError;

template <typename Body>
int guarded(const char *operation, Body &&body) {
    try {
        body();
        return 0;
    } catch (const c10::Error &error) {
        lastError = std::string(operation) + ": " + error.what_without_backtrace();
    } catch (const std::exception &error) {
        lastError = std::string(operation) + ": " + error.what();
    } catch (...) {
        lastError = std::string(operation) + ": unknown C++ exception";
    }
    return 1;
}

const at::Tensor &unwrap(const ctorch_tensor *tensor) {
    if (tensor == nullptr) {
        throw std::invalid_argument("a tensor argument is NULL");
    }
    return *reinterpret_cast<const at::Tensor *>(tensor);
}

at::Tensor &unwrapMutable(ctorch_tensor *tensor) {
    if (tensor == nullptr) {
        throw std::invalid_argument("a tensor argument is NULL");
    }
    return *reinterpret_cast<at::Tensor *>(tensor);
}

std::optional<at::Tensor> unwrapOptional(const ctorch_tensor *tensor) {
    if (tensor == nullptr) {
        return std::nullopt;
    }
    return unwrap(tensor);
}

ctorch_tensor *wrap(at::Tensor tensor) {
    return reinterpret_cast<ctorch_tensor *>(new at::Tensor(std::move(tensor)));
}

at::ScalarType scalarType(int32_t dtype) {
    switch (dtype) {
    case CTORCH_FLOAT32: return at::kFloat;
    case CTORCH_FLOAT64: return at::kDouble;
    case CTORCH_FLOAT16: return at::kHalf;
    case CTORCH_BFLOAT16: return at::kBFloat16;
    case CTORCH_INT64: return at::kLong;
    case CTORCH_INT32: return at::kInt;
    case CTORCH_UINT8: return at::kByte;
    case CTORCH_BOOL: return at::kBool;
    }
    throw std::invalid_argument("unknown dtype code " + std::to_string(dtype));
}

int32_t dtypeCode(at::ScalarType type) {
    switch (type) {
    case at::kFloat: return CTORCH_FLOAT32;
    case at::kDouble: return CTORCH_FLOAT64;
    case at::kHalf: return CTORCH_FLOAT16;
    case at::kBFloat16: return CTORCH_BFLOAT16;
    case at::kLong: return CTORCH_INT64;
    case at::kInt: return CTORCH_INT32;
    case at::kByte: return CTORCH_UINT8;
    case at::kBool: return CTORCH_BOOL;
    default: break;
    }
    throw std::invalid_argument(std::string("unsupported dtype ") + c10::toString(type));
}

at::Device device(int32_t code) {
    if (code < 0) {
        return at::Device(at::kCPU);
    }
    return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(code));
}

at::TensorOptions options(int32_t dtype, int32_t deviceCode) {
    return at::TensorOptions().dtype(scalarType(dtype)).device(device(deviceCode));
}

at::IntArrayRef ints(const int64_t *values, int64_t count) {
    if (count < 0 || (count > 0 && values == nullptr)) {
        throw std::invalid_argument("invalid integer list");
    }
    return at::IntArrayRef(values, static_cast<size_t>(count));
}

template <typename Out>
void write(Out *out, Out value) {
    if (out == nullptr) {
        throw std::invalid_argument("the out-pointer is NULL");
    }
    *out = value;
}

} // namespace

extern "C" {

const char *ctorch_last_error(void) { return lastError.c_str(); }

void ctorch_tensor_free(ctorch_tensor *tensor) { delete reinterpret_cast<at::Tensor *>(tensor); }

// MARK: Library settings

int ctorch_version(const char **out) {
    return guarded("version", [&] { write(out, static_cast<const char *>(TORCH_VERSION)); });
}

int ctorch_set_num_threads(int32_t count) {
    return guarded("set_num_threads", [&] {
        if (count < 1) {
            throw std::invalid_argument("thread count must be at least 1, got " + std::to_string(count));
        }
        at::set_num_threads(count);
    });
}

int ctorch_get_num_threads(int32_t *out) {
    return guarded("get_num_threads", [&] { write(out, static_cast<int32_t>(at::get_num_threads())); });
}

int ctorch_cuda_device_count(int32_t *out) {
    return guarded("cuda_device_count", [&] {
        int32_t count = at::hasCUDA() ? static_cast<int32_t>(at::detail::getCUDAHooks().deviceCount()) : 0;
        write(out, count);
    });
}

int ctorch_synchronize(int32_t deviceCode) {
    return guarded("synchronize", [&] {
        if (deviceCode >= 0) {
            at::detail::getCUDAHooks().deviceSynchronize(static_cast<c10::DeviceIndex>(deviceCode));
        }
    });
}

int ctorch_manual_seed(uint64_t seed) {
    return guarded("manual_seed", [&] {
        auto generator = at::detail::getDefaultCPUGenerator();
        std::lock_guard<std::mutex> lock(generator.mutex());
        generator.set_current_seed(seed);
        if (at::hasCUDA()) {
            for (int64_t index = 0; index < at::detail::getCUDAHooks().deviceCount(); ++index) {
                auto cuda = at::detail::getCUDAHooks().getDefaultGenerator(static_cast<c10::DeviceIndex>(index));
                std::lock_guard<std::mutex> cudaLock(cuda.mutex());
                cuda.set_current_seed(seed);
            }
        }
    });
}

int ctorch_rng_state(ctorch_tensor **out) {
    return guarded("rng_state", [&] {
        auto generator = at::detail::getDefaultCPUGenerator();
        std::lock_guard<std::mutex> lock(generator.mutex());
        write(out, wrap(generator.get_state()));
    });
}

int ctorch_set_rng_state(const ctorch_tensor *state) {
    return guarded("set_rng_state", [&] {
        auto generator = at::detail::getDefaultCPUGenerator();
        std::lock_guard<std::mutex> lock(generator.mutex());
        generator.set_state(unwrap(state));
    });
}

int ctorch_set_grad_enabled(int32_t enabled, int32_t *previous) {
    return guarded("set_grad_enabled", [&] {
        write(previous, static_cast<int32_t>(c10::GradMode::is_enabled()));
        c10::GradMode::set_enabled(enabled != 0);
    });
}

// MARK: Creation

int ctorch_from_data(const void *data, size_t bytes, const int64_t *shape, int64_t rank, int32_t dtype,
                     ctorch_tensor **out) {
    return guarded("from_data", [&] {
        auto tensor = at::empty(ints(shape, rank), options(dtype, -1));
        size_t expected = tensor.numel() * tensor.element_size();
        if (bytes != expected) {
            throw std::invalid_argument("the shape needs " + std::to_string(expected) + " bytes, got " +
                                        std::to_string(bytes));
        }
        if (bytes > 0) {
            std::memcpy(tensor.data_ptr(), data, bytes);
        }
        write(out, wrap(tensor));
    });
}

int ctorch_full(const int64_t *shape, int64_t rank, double value, int32_t dtype, int32_t deviceCode,
                ctorch_tensor **out) {
    return guarded("full", [&] { write(out, wrap(at::full(ints(shape, rank), value, options(dtype, deviceCode)))); });
}

int ctorch_random(const int64_t *shape, int64_t rank, int32_t normal, int32_t dtype, int32_t deviceCode,
                  ctorch_tensor **out) {
    return guarded(normal ? "randn" : "rand", [&] {
        auto size = ints(shape, rank);
        auto opts = options(dtype, deviceCode);
        write(out, wrap(normal ? at::randn(size, opts) : at::rand(size, opts)));
    });
}

int ctorch_randint(int64_t low, int64_t high, const int64_t *shape, int64_t rank, int32_t deviceCode,
                   ctorch_tensor **out) {
    return guarded("randint", [&] {
        write(out, wrap(at::randint(low, high, ints(shape, rank), options(CTORCH_INT64, deviceCode))));
    });
}

int ctorch_arange(double start, double end, double step, int32_t dtype, int32_t deviceCode, ctorch_tensor **out) {
    return guarded("arange", [&] { write(out, wrap(at::arange(start, end, step, options(dtype, deviceCode)))); });
}

int ctorch_randperm(int64_t count, int32_t deviceCode, ctorch_tensor **out) {
    return guarded("randperm", [&] { write(out, wrap(at::randperm(count, options(CTORCH_INT64, deviceCode)))); });
}

// MARK: Introspection and transfer

int ctorch_rank(const ctorch_tensor *tensor, int64_t *out) {
    return guarded("rank", [&] { write(out, static_cast<int64_t>(unwrap(tensor).dim())); });
}

int ctorch_shape(const ctorch_tensor *tensor, int64_t *out) {
    return guarded("shape", [&] {
        const auto &value = unwrap(tensor);
        if (out == nullptr && value.dim() > 0) {
            throw std::invalid_argument("the out-pointer is NULL");
        }
        for (int64_t index = 0; index < value.dim(); ++index) {
            out[index] = value.size(index);
        }
    });
}

int ctorch_dtype(const ctorch_tensor *tensor, int32_t *out) {
    return guarded("dtype", [&] { write(out, dtypeCode(unwrap(tensor).scalar_type())); });
}

int ctorch_device(const ctorch_tensor *tensor, int32_t *out) {
    return guarded("device", [&] {
        const auto &value = unwrap(tensor);
        write(out, value.is_cuda() ? static_cast<int32_t>(value.device().index()) : -1);
    });
}

int ctorch_requires_grad(const ctorch_tensor *tensor, int32_t *out) {
    return guarded("requires_grad", [&] { write(out, static_cast<int32_t>(unwrap(tensor).requires_grad())); });
}

int ctorch_copy_to_host(const ctorch_tensor *tensor, void *out, size_t bytes) {
    return guarded("copy_to_host", [&] {
        auto host = unwrap(tensor).detach().to(at::kCPU).contiguous();
        size_t expected = host.numel() * host.element_size();
        if (bytes != expected) {
            throw std::invalid_argument("the tensor holds " + std::to_string(expected) + " bytes, the buffer " +
                                        std::to_string(bytes));
        }
        if (bytes > 0) {
            std::memcpy(out, host.data_ptr(), bytes);
        }
    });
}

int ctorch_to(const ctorch_tensor *tensor, int32_t dtype, int32_t deviceCode, ctorch_tensor **out) {
    return guarded("to", [&] { write(out, wrap(unwrap(tensor).to(options(dtype, deviceCode)))); });
}

int ctorch_memory_format(const ctorch_tensor *tensor, int32_t channelsLast, ctorch_tensor **out) {
    return guarded("memory_format", [&] {
        auto format = channelsLast ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
        write(out, wrap(unwrap(tensor).contiguous(format)));
    });
}

// MARK: Element-wise and reductions

int ctorch_unary(int32_t op, const ctorch_tensor *x, ctorch_tensor **out) {
    return guarded("unary", [&] {
        const auto &input = unwrap(x);
        at::Tensor result;
        switch (op) {
        case CTORCH_NEG: result = at::neg(input); break;
        case CTORCH_EXP: result = at::exp(input); break;
        case CTORCH_LOG: result = at::log(input); break;
        case CTORCH_SIN: result = at::sin(input); break;
        case CTORCH_COS: result = at::cos(input); break;
        case CTORCH_SQRT: result = at::sqrt(input); break;
        case CTORCH_RSQRT: result = at::rsqrt(input); break;
        case CTORCH_ABS: result = at::abs(input); break;
        case CTORCH_SILU: result = at::silu(input); break;
        case CTORCH_GELU: result = at::gelu(input); break;
        case CTORCH_RELU: result = at::relu(input); break;
        case CTORCH_SIGMOID: result = at::sigmoid(input); break;
        case CTORCH_TANH: result = at::tanh(input); break;
        case CTORCH_SQUARE: result = at::square(input); break;
        case CTORCH_ISFINITE: result = at::isfinite(input); break;
        case CTORCH_CONTIGUOUS: result = input.contiguous(); break;
        case CTORCH_CLONE: result = input.clone(); break;
        case CTORCH_DETACH: result = input.detach(); break;
        default: throw std::invalid_argument("unknown unary operation " + std::to_string(op));
        }
        write(out, wrap(result));
    });
}

int ctorch_binary(int32_t op, const ctorch_tensor *a, const ctorch_tensor *b, ctorch_tensor **out) {
    static const char *names[] = {"add", "sub", "mul", "div", "maximum", "minimum", "pow",
                                  "matmul", "mse_loss", "l1_loss", "smooth_l1_loss"};
    const char *name = (op >= 0 && op <= CTORCH_SMOOTH_L1_LOSS) ? names[op] : "binary";
    return guarded(name, [&] {
        const auto &left = unwrap(a);
        const auto &right = unwrap(b);
        at::Tensor result;
        switch (op) {
        case CTORCH_ADD: result = at::add(left, right); break;
        case CTORCH_SUB: result = at::sub(left, right); break;
        case CTORCH_MUL: result = at::mul(left, right); break;
        case CTORCH_DIV: result = at::div(left, right); break;
        case CTORCH_MAXIMUM: result = at::maximum(left, right); break;
        case CTORCH_MINIMUM: result = at::minimum(left, right); break;
        case CTORCH_POW: result = at::pow(left, right); break;
        case CTORCH_MATMUL: result = at::matmul(left, right); break;
        case CTORCH_MSE_LOSS: result = at::mse_loss(left, right); break;
        case CTORCH_L1_LOSS: result = at::l1_loss(left, right); break;
        case CTORCH_SMOOTH_L1_LOSS: result = at::smooth_l1_loss(left, right); break;
        default: throw std::invalid_argument("unknown binary operation " + std::to_string(op));
        }
        write(out, wrap(result));
    });
}

int ctorch_scalar(int32_t op, const ctorch_tensor *x, double value, ctorch_tensor **out) {
    return guarded("scalar", [&] {
        const auto &input = unwrap(x);
        at::Tensor result;
        switch (op) {
        case CTORCH_ADD_SCALAR: result = at::add(input, value); break;
        case CTORCH_MUL_SCALAR: result = at::mul(input, value); break;
        case CTORCH_POW_SCALAR: result = at::pow(input, value); break;
        case CTORCH_CLAMP_MIN: result = at::clamp_min(input, value); break;
        case CTORCH_CLAMP_MAX: result = at::clamp_max(input, value); break;
        case CTORCH_FILL: result = at::full_like(input, value); break;
        default: throw std::invalid_argument("unknown scalar operation " + std::to_string(op));
        }
        write(out, wrap(result));
    });
}

int ctorch_reduce(int32_t op, const ctorch_tensor *x, const int64_t *dims, int64_t count, int32_t keepdim,
                  ctorch_tensor **out) {
    return guarded("reduce", [&] {
        const auto &input = unwrap(x);
        auto axes = ints(dims, count);
        bool keep = keepdim != 0;
        at::Tensor result;
        switch (op) {
        case CTORCH_SUM: result = at::sum(input, axes, keep); break;
        case CTORCH_MEAN: result = at::mean(input, axes, keep); break;
        case CTORCH_AMAX: result = at::amax(input, axes, keep); break;
        case CTORCH_AMIN: result = at::amin(input, axes, keep); break;
        default: throw std::invalid_argument("unknown reduction " + std::to_string(op));
        }
        write(out, wrap(result));
    });
}

int ctorch_softmax(const ctorch_tensor *x, int64_t dim, ctorch_tensor **out) {
    return guarded("softmax", [&] { write(out, wrap(at::softmax(unwrap(x), dim))); });
}

int ctorch_huber_loss(const ctorch_tensor *input, const ctorch_tensor *target, double delta, ctorch_tensor **out) {
    return guarded("huber_loss", [&] {
        write(out, wrap(at::huber_loss(unwrap(input), unwrap(target), at::Reduction::Mean, delta)));
    });
}

int ctorch_where(const ctorch_tensor *condition, const ctorch_tensor *a, const ctorch_tensor *b,
                 ctorch_tensor **out) {
    return guarded("where", [&] { write(out, wrap(at::where(unwrap(condition), unwrap(a), unwrap(b)))); });
}

// MARK: Shapes

int ctorch_reshape(const ctorch_tensor *x, const int64_t *shape, int64_t rank, ctorch_tensor **out) {
    return guarded("reshape", [&] { write(out, wrap(unwrap(x).reshape(ints(shape, rank)))); });
}

int ctorch_permute(const ctorch_tensor *x, const int64_t *dims, int64_t rank, ctorch_tensor **out) {
    return guarded("permute", [&] { write(out, wrap(unwrap(x).permute(ints(dims, rank)))); });
}

int ctorch_expand(const ctorch_tensor *x, const int64_t *shape, int64_t rank, ctorch_tensor **out) {
    return guarded("expand", [&] { write(out, wrap(unwrap(x).expand(ints(shape, rank)))); });
}

int ctorch_narrow(const ctorch_tensor *x, int64_t dim, int64_t start, int64_t length, ctorch_tensor **out) {
    return guarded("narrow", [&] { write(out, wrap(unwrap(x).narrow(dim, start, length))); });
}

int ctorch_cat(const ctorch_tensor *const *tensors, int64_t count, int64_t dim, ctorch_tensor **out) {
    return guarded("cat", [&] {
        std::vector<at::Tensor> parts;
        parts.reserve(static_cast<size_t>(count));
        for (int64_t index = 0; index < count; ++index) {
            parts.push_back(unwrap(tensors[index]));
        }
        write(out, wrap(at::cat(parts, dim)));
    });
}

int ctorch_chunk(const ctorch_tensor *x, int64_t count, int64_t dim, ctorch_tensor **out) {
    return guarded("chunk", [&] {
        if (out == nullptr) {
            throw std::invalid_argument("the out-pointer is NULL");
        }
        auto parts = unwrap(x).chunk(count, dim);
        if (static_cast<int64_t>(parts.size()) != count) {
            throw std::invalid_argument("size " + std::to_string(unwrap(x).size(dim)) + " of dimension " +
                                        std::to_string(dim) + " does not split into " + std::to_string(count) +
                                        " equal parts");
        }
        for (int64_t index = 0; index < count; ++index) {
            out[index] = wrap(parts[static_cast<size_t>(index)]);
        }
    });
}

int ctorch_index_select(const ctorch_tensor *x, int64_t dim, const ctorch_tensor *index, ctorch_tensor **out) {
    return guarded("index_select", [&] { write(out, wrap(at::index_select(unwrap(x), dim, unwrap(index)))); });
}

int ctorch_flip(const ctorch_tensor *x, const int64_t *dims, int64_t count, ctorch_tensor **out) {
    return guarded("flip", [&] { write(out, wrap(at::flip(unwrap(x), ints(dims, count)))); });
}

// MARK: Layers (NCHW)

int ctorch_conv2d(const ctorch_tensor *x, const ctorch_tensor *weight, const ctorch_tensor *bias,
                  const int64_t *stride, const int64_t *padding, const int64_t *dilation, int64_t groups,
                  ctorch_tensor **out) {
    return guarded("conv2d", [&] {
        write(out, wrap(at::conv2d(unwrap(x), unwrap(weight), unwrapOptional(bias), ints(stride, 2),
                                   ints(padding, 2), ints(dilation, 2), groups)));
    });
}

int ctorch_conv_transpose2d(const ctorch_tensor *x, const ctorch_tensor *weight, const ctorch_tensor *bias,
                            const int64_t *stride, const int64_t *padding, const int64_t *outputPadding,
                            int64_t groups, ctorch_tensor **out) {
    return guarded("conv_transpose2d", [&] {
        write(out, wrap(at::conv_transpose2d(unwrap(x), unwrap(weight), unwrapOptional(bias), ints(stride, 2),
                                             ints(padding, 2), ints(outputPadding, 2), groups)));
    });
}

int ctorch_linear(const ctorch_tensor *x, const ctorch_tensor *weight, const ctorch_tensor *bias,
                  ctorch_tensor **out) {
    return guarded("linear", [&] { write(out, wrap(at::linear(unwrap(x), unwrap(weight), unwrapOptional(bias)))); });
}

int ctorch_group_norm(const ctorch_tensor *x, int64_t groups, const ctorch_tensor *weight,
                      const ctorch_tensor *bias, double eps, ctorch_tensor **out) {
    return guarded("group_norm", [&] {
        write(out, wrap(at::group_norm(unwrap(x), groups, unwrapOptional(weight), unwrapOptional(bias), eps)));
    });
}

int ctorch_avg_pool2d(const ctorch_tensor *x, int64_t kernel, int64_t stride, ctorch_tensor **out) {
    return guarded("avg_pool2d", [&] {
        write(out, wrap(at::avg_pool2d(unwrap(x), {kernel, kernel}, {stride, stride})));
    });
}

int ctorch_upsample_nearest2d(const ctorch_tensor *x, int64_t height, int64_t width, ctorch_tensor **out) {
    return guarded("upsample_nearest2d", [&] {
        write(out, wrap(at::upsample_nearest2d(unwrap(x), {height, width})));
    });
}

int ctorch_pixel_shuffle(const ctorch_tensor *x, int64_t factor, int32_t inverse, ctorch_tensor **out) {
    return guarded(inverse ? "pixel_unshuffle" : "pixel_shuffle", [&] {
        const auto &input = unwrap(x);
        write(out, wrap(inverse ? at::pixel_unshuffle(input, factor) : at::pixel_shuffle(input, factor)));
    });
}

int ctorch_dropout(const ctorch_tensor *x, double probability, int32_t training, ctorch_tensor **out) {
    return guarded("dropout", [&] { write(out, wrap(at::dropout(unwrap(x), probability, training != 0))); });
}

// MARK: Autograd and in-place updates

int ctorch_set_requires_grad(ctorch_tensor *tensor, int32_t requiresGrad) {
    return guarded("set_requires_grad", [&] { unwrapMutable(tensor).requires_grad_(requiresGrad != 0); });
}

int ctorch_backward(const ctorch_tensor *scalar) {
    return guarded("backward", [&] { unwrap(scalar).backward(); });
}

int ctorch_grad(const ctorch_tensor *tensor, ctorch_tensor **out) {
    return guarded("grad", [&] {
        const auto &grad = unwrap(tensor).grad();
        write(out, grad.defined() ? wrap(grad) : static_cast<ctorch_tensor *>(nullptr));
    });
}

int ctorch_zero_grad(ctorch_tensor *tensor) {
    return guarded("zero_grad", [&] { unwrapMutable(tensor).mutable_grad().reset(); });
}

int ctorch_copy_(ctorch_tensor *destination, const ctorch_tensor *source) {
    return guarded("copy_", [&] {
        at::NoGradGuard noGrad;
        unwrapMutable(destination).copy_(unwrap(source));
    });
}

int ctorch_uniform_(ctorch_tensor *tensor, double low, double high) {
    return guarded("uniform_", [&] {
        at::NoGradGuard noGrad;
        unwrapMutable(tensor).uniform_(low, high);
    });
}

int ctorch_lerp_(ctorch_tensor *destination, const ctorch_tensor *source, double weight) {
    return guarded("lerp_", [&] {
        at::NoGradGuard noGrad;
        unwrapMutable(destination).lerp_(unwrap(source), weight);
    });
}

int ctorch_clip_grad_norm_(ctorch_tensor *const *parameters, int64_t count, double maxNorm, double *norm) {
    return guarded("clip_grad_norm_", [&] {
        at::NoGradGuard noGrad;
        std::vector<at::Tensor> grads;
        for (int64_t index = 0; index < count; ++index) {
            const auto &grad = unwrap(parameters[index]).grad();
            if (grad.defined()) {
                grads.push_back(grad);
            }
        }
        double total = 0;
        if (!grads.empty()) {
            std::vector<at::Tensor> norms;
            norms.reserve(grads.size());
            for (const auto &grad : grads) {
                norms.push_back(grad.norm(2).to(at::kDouble));
            }
            total = at::stack(norms).norm(2).item<double>();
        }
        // The same rule as torch.nn.utils.clip_grad_norm_: scale by max_norm / (norm + 1e-6), clamped to 1.
        double scale = std::min(1.0, maxNorm / (total + 1e-6));
        if (scale < 1.0) {
            for (auto &grad : grads) {
                grad.mul_(scale);
            }
        }
        write(norm, total);
    });
}

int ctorch_adamw_step(ctorch_tensor *const *parameters, ctorch_tensor *const *expAvgs,
                      ctorch_tensor *const *expAvgSqs, int64_t count, int64_t step, double lr, double beta1,
                      double beta2, double eps, double weightDecay) {
    return guarded("adamw_step", [&] {
        if (step < 1) {
            throw std::invalid_argument("the AdamW step count starts at 1, got " + std::to_string(step));
        }
        at::NoGradGuard noGrad;

        // The single-tensor update of torch.optim.AdamW: decoupled weight decay, then Adam with bias correction.
        double biasCorrection1 = 1 - std::pow(beta1, static_cast<double>(step));
        double biasCorrection2 = 1 - std::pow(beta2, static_cast<double>(step));
        double stepSize = lr / biasCorrection1;
        double biasCorrection2Sqrt = std::sqrt(biasCorrection2);
        for (int64_t index = 0; index < count; ++index) {
            auto &parameter = unwrapMutable(parameters[index]);
            const auto &grad = parameter.grad();
            if (!grad.defined()) {
                continue;
            }
            auto &expAvg = unwrapMutable(expAvgs[index]);
            auto &expAvgSq = unwrapMutable(expAvgSqs[index]);
            parameter.mul_(1 - lr * weightDecay);
            expAvg.lerp_(grad, 1 - beta1);
            expAvgSq.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
            auto denominator = (expAvgSq.sqrt() / biasCorrection2Sqrt).add_(eps);
            parameter.addcdiv_(expAvg, denominator, -stepSize);
        }
    });
}

} // extern "C"
