/* mnist_fixture.c -- writes small MNIST-like IDX files, good and malformed, for the test
 * gd_vs_gradient_flow.mnist_errors (mnist_errors.cmake). It is a test helper, not part of the reproduction.
 *
 *   gd_vs_gradient_flow_mnist_fixture DIR
 *
 * creates one folder per case under DIR, each holding train-images-idx3-ubyte and train-labels-idx1-ubyte
 * (or not), in the IDX format: a big-endian magic number (0x00000803 images, 0x00000801 labels), the sizes,
 * then one unsigned byte per pixel or label. The pixels and labels are a fixed pseudo-random pattern.
 *   good        451 images of 28 x 28 and their labels: enough for --mnist-count 10 (images 0, 50, ..., 450)
 *   missing     an empty folder
 *   gzip        the images file starts with the gzip magic bytes 1f 8b
 *   magic       the images file carries the label magic number
 *   short       the images file is 10 bytes long (less than its 16-byte header)
 *   side        images of 27 x 28
 *   truncated   the header announces 451 images, the file holds 450 and a half
 *   mismatch    451 images but 450 labels
 *   few         100 images and labels (the subset needs 451)
 *   label       a label of 12 at image 0
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static unsigned long state = 12345;

static unsigned char next_byte(void)
{
    state = state * 6364136223846793005UL + 1442695040888963407UL;
    return (unsigned char)(state >> 56);
}

static void put_u32(FILE *f, unsigned long v)
{
    unsigned char b[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                          (unsigned char)v};
    fwrite(b, 1, 4, f);
}

static FILE *open_in(const char *dir, const char *sub, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, sub);
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/%s/%s", dir, sub, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        fprintf(stderr, "mnist_fixture: cannot write %s\n", path);
        exit(2);
    }
    return f;
}

/* images: magic, n (as announced), rows, cols, then `bytes` pixels */
static void write_images(const char *dir, const char *sub, unsigned long magic, unsigned long n, unsigned long rows,
                         unsigned long cols, size_t bytes)
{
    FILE *f = open_in(dir, sub, "train-images-idx3-ubyte");
    put_u32(f, magic);
    put_u32(f, n);
    put_u32(f, rows);
    put_u32(f, cols);
    for (size_t i = 0; i < bytes; i++)
        fputc(next_byte(), f);
    fclose(f);
}

static void write_labels(const char *dir, const char *sub, unsigned long n, int first_label)
{
    FILE *f = open_in(dir, sub, "train-labels-idx1-ubyte");
    put_u32(f, 0x00000801UL);
    put_u32(f, n);
    for (unsigned long i = 0; i < n; i++)
        fputc(i == 0 && first_label >= 0 ? first_label : (int)(next_byte() % 10), f);
    fclose(f);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: gd_vs_gradient_flow_mnist_fixture DIR\n");
        return 2;
    }
    const char *dir = argv[1];
    const unsigned long n = 451, px = 28 * 28;
    mkdir(dir, 0777);
    write_images(dir, "good", 0x00000803UL, n, 28, 28, n * px);
    write_labels(dir, "good", n, -1);

    char path[4096];
    snprintf(path, sizeof path, "%s/missing", dir);
    mkdir(path, 0777);

    FILE *f = open_in(dir, "gzip", "train-images-idx3-ubyte");
    const unsigned char gz[10] = {0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3};
    fwrite(gz, 1, sizeof gz, f);
    fclose(f);
    write_labels(dir, "gzip", n, -1);

    write_images(dir, "magic", 0x00000801UL, n, 28, 28, n * px);
    write_labels(dir, "magic", n, -1);

    f = open_in(dir, "short", "train-images-idx3-ubyte");
    put_u32(f, 0x00000803UL);
    put_u32(f, n);
    fputc(0, f);
    fputc(28, f);
    fclose(f);
    write_labels(dir, "short", n, -1);

    write_images(dir, "side", 0x00000803UL, n, 27, 28, n * 27 * 28);
    write_labels(dir, "side", n, -1);

    write_images(dir, "truncated", 0x00000803UL, n, 28, 28, n * px - px / 2);
    write_labels(dir, "truncated", n, -1);

    write_images(dir, "mismatch", 0x00000803UL, n, 28, 28, n * px);
    write_labels(dir, "mismatch", n - 1, -1);

    write_images(dir, "few", 0x00000803UL, 100, 28, 28, 100 * px);
    write_labels(dir, "few", 100, -1);

    write_images(dir, "label", 0x00000803UL, n, 28, 28, n * px);
    write_labels(dir, "label", n, 12);
    return 0;
}
