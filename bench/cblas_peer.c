/*
 * The C peer of bench/matmul.mjs: calls cblas_sgemm / cblas_dgemm of the given library directly,
 * the floor any caller of that BLAS can reach. nnlab's BLAS column is compared against it.
 *   cc -O2 -o bench/.out/cblas_peer bench/cblas_peer.c -ldl   (matmul.mjs builds it)
 *   cblas_peer <library path> <budget seconds>   < cases
 * Each input line: "<f32|f64> <transA 0|1> <transB 0|1> <m> <n> <k> <label…>" for one product,
 * or "mlp <f32|f64>" for the five products of an MLP epoch (157 steps). Output: one line per case,
 * "<label>\t<GFLOP/s>" (best single call after a warm-up, timed inside the loop) or
 * "mlp <dt>\t<seconds>" (best of 8 epochs after a warm-up). One thread (openblas_set_num_threads(1) if present).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef void (*dgemm_t)(int, int, int, int, int, int, double, const double *, int, const double *, int, double, double *, int);
typedef void (*sgemm_t)(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *, int);
static dgemm_t dgemm;
static sgemm_t sgemm;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static void *filled(size_t count, size_t size) {
  unsigned char *p = malloc(count * size);
  for (size_t i = 0; i < count; i++) {
    double v = (double)rand() / RAND_MAX - 0.5;
    if (size == 8) ((double *)p)[i] = v; else ((float *)p)[i] = (float)v;
  }
  return p;
}

static void product(int f64, int ta, int tb, int m, int n, int k, void *a, void *b, void *c) {
  if (f64) dgemm(101, ta ? 112 : 111, tb ? 112 : 111, m, n, k, 1.0, a, ta ? m : k, b, tb ? k : n, 0.0, c, n);
  else sgemm(101, ta ? 112 : 111, tb ? 112 : 111, m, n, k, 1.0f, a, ta ? m : k, b, tb ? k : n, 0.0f, c, n);
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: cblas_peer <library> <budget seconds> < cases\n"); return 2; }
  void *lib = dlopen(argv[1], RTLD_NOW);
  if (!lib) { fprintf(stderr, "cblas_peer: %s\n", dlerror()); return 1; }
  dgemm = (dgemm_t)dlsym(lib, "cblas_dgemm");
  sgemm = (sgemm_t)dlsym(lib, "cblas_sgemm");
  if (!dgemm || !sgemm) { fprintf(stderr, "cblas_peer: %s has no cblas_dgemm/cblas_sgemm\n", argv[1]); return 1; }
  void (*threads)(int) = (void (*)(int))dlsym(lib, "openblas_set_num_threads");
  if (threads) threads(1);
  double budget = atof(argv[2]);
  char line[512];
  while (fgets(line, sizeof line, stdin)) {
    char dt[8], label[400];
    int ta, tb, m, n, k;
    if (sscanf(line, "mlp %7s", dt) == 1) {
      int f64 = strcmp(dt, "f64") == 0;
      size_t es = f64 ? 8 : 4;
      /* forward x·W1ᵀ, the output layer, the weight gradients, the hidden-layer delta (as matmul.mjs) */
      int ops[5][5] = {{0, 1, 64, 128, 784}, {0, 1, 64, 10, 128}, {1, 0, 10, 128, 64}, {0, 0, 64, 128, 10}, {1, 0, 128, 784, 64}};
      void *buf[5][3];
      for (int i = 0; i < 5; i++) {
        buf[i][0] = filled((size_t)ops[i][2] * ops[i][4], es);
        buf[i][1] = filled((size_t)ops[i][4] * ops[i][3], es);
        buf[i][2] = filled((size_t)ops[i][2] * ops[i][3], es);
      }
      double best = 1e30;
      for (int r = 0; r < 9; r++) {
        double t0 = now();
        for (int s = 0; s < 157; s++)
          for (int i = 0; i < 5; i++) product(f64, ops[i][0], ops[i][1], ops[i][2], ops[i][3], ops[i][4], buf[i][0], buf[i][1], buf[i][2]);
        double t = now() - t0;
        if (r > 0 && t < best) best = t; /* r = 0 is the warm-up */
      }
      printf("mlp %s\t%.6f\n", dt, best);
      for (int i = 0; i < 5; i++) for (int j = 0; j < 3; j++) free(buf[i][j]);
    } else if (sscanf(line, "%7s %d %d %d %d %d %399[^\n]", dt, &ta, &tb, &m, &n, &k, label) == 7) {
      int f64 = strcmp(dt, "f64") == 0;
      size_t es = f64 ? 8 : 4;
      void *a = filled((size_t)m * k, es), *b = filled((size_t)k * n, es), *c = filled((size_t)m * n, es);
      product(f64, ta, tb, m, n, k, a, b, c);
      double best = 1e30, start = now();
      int reps = 0;
      do {
        double t0 = now();
        product(f64, ta, tb, m, n, k, a, b, c);
        double t = now() - t0;
        if (t < best) best = t;
        reps++;
      } while (reps < 3 || now() - start < budget);
      printf("%s %s\t%.3f\n", dt, label, 2.0 * m * n * k / best / 1e9);
      free(a); free(b); free(c);
    }
    fflush(stdout);
  }
  return 0;
}
