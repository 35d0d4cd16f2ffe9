/*
 * Store-to-load forwarding on this machine, in isolation (docs/performance.md,
 * "The views copied whole"): a non-inlined function writes an 80-byte value
 * (the size of an Option<DiskView>) through its out-pointer, then the caller
 * either copies it whole with 16-byte loads, as evaluate's Facts used to, or
 * reads two fields where they were written. The third loop is the control:
 * the same 16-byte copy after 16-byte stores, which forward.
 *
 *   gcc -O2 -o /tmp/stlf scripts/stlf.c && /tmp/stlf
 *
 * Minimum over 30 runs of 2,000,000 calls each, in ns per call.
 */
#include <emmintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

typedef struct { uint64_t f[10]; } View;

/* Field by field, 8-byte stores, as InMemoryWorld::disk writes its view. */
__attribute__((noinline)) void produce8(View *out, uint64_t k) {
  for (int i = 0; i < 10; i++) {
    __asm__ volatile("" ::: "memory");
    out->f[i] = k + i;
  }
}

/* The same value, 16-byte stores. */
__attribute__((noinline)) void produce16(View *out, uint64_t k) {
  for (int i = 0; i < 10; i += 2) {
    __asm__ volatile("" ::: "memory");
    _mm_storeu_si128((__m128i *)&out->f[i], _mm_set_epi64x(k + i + 1, k + i));
  }
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

static void copy16(const View *from, View *to) {
  for (int j = 0; j < 5; j++)
    _mm_storeu_si128((__m128i *)&to->f[2 * j], _mm_loadu_si128((const __m128i *)&from->f[2 * j]));
  __asm__ volatile("" ::: "memory");
}

int main(void) {
  const int n = 2000000;
  volatile uint64_t sink;
  double wide = 1e18, narrow = 1e18, control = 1e18;
  for (int rep = 0; rep < 30; rep++) {
    View v, copy;
    uint64_t k = 1, acc = 0;
    double t0 = now();
    for (int i = 0; i < n; i++) { /* the next call's argument depends on the copy */
      produce8(&v, k);
      copy16(&v, &copy);
      k = copy.f[3] & 7;
      acc += copy.f[5];
    }
    double t = (now() - t0) / n;
    wide = t < wide ? t : wide;
    sink = acc;
    k = 1, acc = 0, t0 = now();
    for (int i = 0; i < n; i++) {
      produce8(&v, k);
      k = v.f[3] & 7;
      acc += v.f[5];
    }
    t = (now() - t0) / n;
    narrow = t < narrow ? t : narrow;
    sink = acc;
    k = 1, acc = 0, t0 = now();
    for (int i = 0; i < n; i++) {
      produce16(&v, k);
      copy16(&v, &copy);
      k = copy.f[3] & 7;
      acc += copy.f[5];
    }
    t = (now() - t0) / n;
    control = t < control ? t : control;
    sink = acc;
  }
  (void)sink;
  printf("8-byte stores, copied whole with 16-byte loads: %.2f ns/call\n", wide);
  printf("8-byte stores, two fields read in place:        %.2f ns/call\n", narrow);
  printf("16-byte stores, copied whole with 16-byte loads: %.2f ns/call (control)\n", control);
  return 0;
}
