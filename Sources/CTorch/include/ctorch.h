// ctorch: a C interface over libtorch's ATen, the only code of unetzoo that sees C++.
//
// Conventions, kept by every function below:
// - A function returns 0 on success and 1 on failure. On failure nothing is written through the
//   out-pointers and ctorch_last_error() returns "<operation>: <libtorch's message>" for this thread.
// - No C++ exception crosses this boundary: c10::Error, std::exception and anything else is caught.
// - Every ctorch_tensor written through an out-pointer is owned by the caller, who releases it
//   with exactly one call of ctorch_tensor_free. Input handles are borrowed, never released.
// - Shapes are int64 arrays with an explicit rank. Devices are -1 for the CPU, N >= 0 for CUDA device N.

#ifndef CTORCH_H
#define CTORCH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// An owned reference to one libtorch tensor.
typedef struct ctorch_tensor ctorch_tensor;

/// Element types; the numbering is ctorch's own, not libtorch's ScalarType.
enum ctorch_dtype {
    CTORCH_FLOAT32 = 0,
    CTORCH_FLOAT64 = 1,
    CTORCH_FLOAT16 = 2,
    CTORCH_BFLOAT16 = 3,
    CTORCH_INT64 = 4,
    CTORCH_INT32 = 5,
    CTORCH_UINT8 = 6,
    CTORCH_BOOL = 7,
};

/// Element-wise operations of one tensor.
enum ctorch_unary_op {
    CTORCH_NEG, CTORCH_EXP, CTORCH_LOG, CTORCH_SIN, CTORCH_COS, CTORCH_SQRT, CTORCH_RSQRT, CTORCH_ABS,
    CTORCH_SILU, CTORCH_GELU, CTORCH_RELU, CTORCH_SIGMOID, CTORCH_TANH, CTORCH_SQUARE,
    CTORCH_ISFINITE, CTORCH_CONTIGUOUS, CTORCH_CLONE, CTORCH_DETACH,
};

/// Element-wise operations of two broadcast tensors.
enum ctorch_binary_op {
    CTORCH_ADD, CTORCH_SUB, CTORCH_MUL, CTORCH_DIV, CTORCH_MAXIMUM, CTORCH_MINIMUM, CTORCH_POW,
    CTORCH_MATMUL, CTORCH_MSE_LOSS, CTORCH_L1_LOSS, CTORCH_SMOOTH_L1_LOSS,
};

/// Operations of a tensor and a number.
enum ctorch_scalar_op {
    CTORCH_ADD_SCALAR, CTORCH_MUL_SCALAR, CTORCH_POW_SCALAR, CTORCH_CLAMP_MIN, CTORCH_CLAMP_MAX,
    CTORCH_FILL,
};

/// Reductions over a list of dimensions (all dimensions when the list is empty).
enum ctorch_reduce_op {
    CTORCH_SUM, CTORCH_MEAN, CTORCH_AMAX, CTORCH_AMIN,
};

/// The message of this thread's last failed call, "" when there was none. Valid until the next call.
const char *ctorch_last_error(void);

/// Releases one owned tensor handle; NULL is ignored.
void ctorch_tensor_free(ctorch_tensor *tensor);

// MARK: Library settings

int ctorch_version(const char **out);
int ctorch_set_num_threads(int32_t count);
int ctorch_get_num_threads(int32_t *out);
int ctorch_cuda_device_count(int32_t *out);
int ctorch_synchronize(int32_t device);
int ctorch_manual_seed(uint64_t seed);
/// Writes the CPU generator's state as a uint8 tensor.
int ctorch_rng_state(ctorch_tensor **out);
int ctorch_set_rng_state(const ctorch_tensor *state);
/// Switches gradient recording on this thread and writes the previous setting.
int ctorch_set_grad_enabled(int32_t enabled, int32_t *previous);

// MARK: Creation

/// Copies `bytes` of host memory laid out contiguously in row-major order into a new CPU tensor.
int ctorch_from_data(const void *data, size_t bytes, const int64_t *shape, int64_t rank, int32_t dtype,
                     ctorch_tensor **out);
int ctorch_full(const int64_t *shape, int64_t rank, double value, int32_t dtype, int32_t device,
                ctorch_tensor **out);
/// Samples N(0, 1) (`normal` != 0) or U[0, 1) from the default generator.
int ctorch_random(const int64_t *shape, int64_t rank, int32_t normal, int32_t dtype, int32_t device,
                  ctorch_tensor **out);
/// Samples integers uniformly from [low, high) as int64.
int ctorch_randint(int64_t low, int64_t high, const int64_t *shape, int64_t rank, int32_t device,
                   ctorch_tensor **out);
int ctorch_arange(double start, double end, double step, int32_t dtype, int32_t device, ctorch_tensor **out);
int ctorch_randperm(int64_t count, int32_t device, ctorch_tensor **out);

// MARK: Introspection and transfer

int ctorch_rank(const ctorch_tensor *tensor, int64_t *out);
/// Writes `rank` sizes into `out`, which must hold at least that many.
int ctorch_shape(const ctorch_tensor *tensor, int64_t *out);
int ctorch_dtype(const ctorch_tensor *tensor, int32_t *out);
int ctorch_device(const ctorch_tensor *tensor, int32_t *out);
int ctorch_requires_grad(const ctorch_tensor *tensor, int32_t *out);
/// Copies the elements into host memory, converting nothing; `bytes` must equal numel * element size.
int ctorch_copy_to_host(const ctorch_tensor *tensor, void *out, size_t bytes);
int ctorch_to(const ctorch_tensor *tensor, int32_t dtype, int32_t device, ctorch_tensor **out);
/// Converts to channels-last (`channels_last` != 0) or contiguous memory format.
int ctorch_memory_format(const ctorch_tensor *tensor, int32_t channels_last, ctorch_tensor **out);

// MARK: Element-wise and reductions

int ctorch_unary(int32_t op, const ctorch_tensor *x, ctorch_tensor **out);
int ctorch_binary(int32_t op, const ctorch_tensor *a, const ctorch_tensor *b, ctorch_tensor **out);
int ctorch_scalar(int32_t op, const ctorch_tensor *x, double value, ctorch_tensor **out);
int ctorch_reduce(int32_t op, const ctorch_tensor *x, const int64_t *dims, int64_t count, int32_t keepdim,
                  ctorch_tensor **out);
int ctorch_softmax(const ctorch_tensor *x, int64_t dim, ctorch_tensor **out);
int ctorch_huber_loss(const ctorch_tensor *input, const ctorch_tensor *target, double delta, ctorch_tensor **out);
/// Elements of `a` where `condition` is true, else of `b`.
int ctorch_where(const ctorch_tensor *condition, const ctorch_tensor *a, const ctorch_tensor *b,
                 ctorch_tensor **out);

// MARK: Shapes

int ctorch_reshape(const ctorch_tensor *x, const int64_t *shape, int64_t rank, ctorch_tensor **out);
int ctorch_permute(const ctorch_tensor *x, const int64_t *dims, int64_t rank, ctorch_tensor **out);
int ctorch_expand(const ctorch_tensor *x, const int64_t *shape, int64_t rank, ctorch_tensor **out);
int ctorch_narrow(const ctorch_tensor *x, int64_t dim, int64_t start, int64_t length, ctorch_tensor **out);
int ctorch_cat(const ctorch_tensor *const *tensors, int64_t count, int64_t dim, ctorch_tensor **out);
/// Splits `dim` into `count` equal parts, writing `count` tensors into `out` (as torch.chunk, whose
/// backward is one concatenation rather than a zero-filled tensor per part).
int ctorch_chunk(const ctorch_tensor *x, int64_t count, int64_t dim, ctorch_tensor **out);
int ctorch_index_select(const ctorch_tensor *x, int64_t dim, const ctorch_tensor *index, ctorch_tensor **out);
int ctorch_flip(const ctorch_tensor *x, const int64_t *dims, int64_t count, ctorch_tensor **out);

// MARK: Layers (NCHW)

/// Conv2d; `bias` may be NULL. `stride`, `padding`, `dilation` are (h, w) pairs.
int ctorch_conv2d(const ctorch_tensor *x, const ctorch_tensor *weight, const ctorch_tensor *bias,
                  const int64_t *stride, const int64_t *padding, const int64_t *dilation, int64_t groups,
                  ctorch_tensor **out);
int ctorch_conv_transpose2d(const ctorch_tensor *x, const ctorch_tensor *weight, const ctorch_tensor *bias,
                            const int64_t *stride, const int64_t *padding, const int64_t *output_padding,
                            int64_t groups, ctorch_tensor **out);
int ctorch_linear(const ctorch_tensor *x, const ctorch_tensor *weight, const ctorch_tensor *bias,
                  ctorch_tensor **out);
int ctorch_group_norm(const ctorch_tensor *x, int64_t groups, const ctorch_tensor *weight,
                      const ctorch_tensor *bias, double eps, ctorch_tensor **out);
int ctorch_avg_pool2d(const ctorch_tensor *x, int64_t kernel, int64_t stride, ctorch_tensor **out);
int ctorch_upsample_nearest2d(const ctorch_tensor *x, int64_t height, int64_t width, ctorch_tensor **out);
/// Pixel shuffle (`inverse` == 0) or pixel unshuffle (`inverse` != 0) by `factor`.
int ctorch_pixel_shuffle(const ctorch_tensor *x, int64_t factor, int32_t inverse, ctorch_tensor **out);
int ctorch_dropout(const ctorch_tensor *x, double probability, int32_t training, ctorch_tensor **out);

// MARK: Autograd and in-place updates

int ctorch_set_requires_grad(ctorch_tensor *tensor, int32_t requires_grad);
/// Back-propagates from a scalar, accumulating into the `.grad` of every leaf that requires grad.
int ctorch_backward(const ctorch_tensor *scalar);
/// Writes the accumulated gradient, or NULL when the tensor has none.
int ctorch_grad(const ctorch_tensor *tensor, ctorch_tensor **out);
int ctorch_zero_grad(ctorch_tensor *tensor);
/// Copies `source` into `destination` in place (shapes must match, dtypes may differ).
int ctorch_copy_(ctorch_tensor *destination, const ctorch_tensor *source);
/// Initialises in place from U[low, high) with the default generator.
int ctorch_uniform_(ctorch_tensor *tensor, double low, double high);
/// destination += weight * (source - destination), without recording gradients (an EMA update).
int ctorch_lerp_(ctorch_tensor *destination, const ctorch_tensor *source, double weight);
/// Scales every gradient in place so that their joint L2 norm is at most `max_norm`; writes the norm before clipping.
int ctorch_clip_grad_norm_(ctorch_tensor *const *parameters, int64_t count, double max_norm, double *norm);
/// One AdamW step over all parameters with their gradients, in place (libtorch's fused kernel
/// where the device has one, else the for-each kernel). `step` is the 1-based step count.
int ctorch_adamw_step(ctorch_tensor *const *parameters, ctorch_tensor *const *exp_avgs,
                      ctorch_tensor *const *exp_avg_sqs, int64_t count, int64_t step, double lr,
                      double beta1, double beta2, double eps, double weight_decay);

#ifdef __cplusplus
}
#endif

#endif
