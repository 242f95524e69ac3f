package io.segnet.data.transform;

import io.segnet.data.Rng;
import io.segnet.data.Sample;

/**
 * Random elastic deformation of image and mask together, the augmentation U-Net is trained with (Ronneberger,
 * Fischer and Brox, "U-Net: Convolutional Networks for Biomedical Image Segmentation", MICCAI 2015, section 3.1):
 * "smooth deformations using random displacement vectors on a coarse 3 by 3 grid. The displacements are sampled from
 * a Gaussian distribution with 10 pixels standard deviation. Per-pixel displacements are then computed using bicubic
 * interpolation."
 *
 * <p>With probability {@code probability}, a {@code grid x grid} field of displacement vectors is drawn, each
 * component from N(0, sigma<sup>2</sup>) pixels. Control point {@code (i, j)} sits at
 * {@code x = i*(W-1)/(grid-1)}, {@code y = j*(H-1)/(grid-1)}: spread evenly, the corner points on the centres of the
 * corner pixels. The displacement {@code (dx, dy)} of every pixel is interpolated from the control vectors
 * bicubically, with Keys' cubic convolution kernel for {@code a = -0.5} (Catmull-Rom), which passes through the
 * control vectors; beyond the grid the edge control points repeat. Output pixel {@code (x, y)} reads the input at
 * {@code (x + dx, y + dy)} by the rules of the other geometric transforms: image bilinear, mask nearest-neighbour
 * (so no new class values appear), and points outside the input get {@code imageFill} in the image and the ignore
 * value in the mask. The output has the input's size.
 *
 * <p>Each application draws the same count of numbers whatever it decides: one for the decision, then two
 * {@link Rng#nextGaussian() normals} per control point ({@code dx}, then {@code dy}, control points in row-major
 * order).
 *
 * @param sigma       standard deviation of each displacement component, in pixels, >= 0 (10 in the paper; 0 deforms
 *                    nothing); {@code data.elastic}, {@code --elastic PIXELS}
 * @param grid        control points per side, >= 2 (3 in the paper); {@code data.elasticGrid},
 *                    {@code --elastic PIXELS,GRID}
 * @param probability chance of deforming, in [0, 1]
 * @param imageFill   image value outside the input (0 by default)
 */
public record ElasticDeformation(double sigma, int grid, double probability, float imageFill) implements Transform {

    /** Checks the ranges; messages name the setting to change. */
    public ElasticDeformation {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("elastic deformation of " + sigma + " pixels is invalid; give the"
                    + " displacements' standard deviation in pixels, >= 0 (data.elastic, --elastic PIXELS), e.g. 10"
                    + " as in the U-Net paper");
        }
        if (grid < 2) {
            throw new IllegalArgumentException("elastic deformation grid " + grid + " is too small; use 2 or more"
                    + " control points per side (data.elasticGrid, --elastic PIXELS,GRID), e.g. 3 as in the U-Net"
                    + " paper");
        }
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("elastic deformation probability is " + probability + "; use a value"
                    + " in [0, 1]");
        }
    }

    /** Always deform, by displacements of standard deviation {@code sigma} on a {@code grid x grid} grid; fill 0. */
    public static ElasticDeformation of(double sigma, int grid) {
        return new ElasticDeformation(sigma, grid, 1.0, 0f);
    }

    @Override
    public Sample apply(Sample s, Rng rng) {
        boolean deform = rng.bernoulli(probability);
        double[] dx = new double[grid * grid];
        double[] dy = new double[grid * grid];
        for (int k = 0; k < dx.length; k++) {
            dx[k] = sigma * rng.nextGaussian();
            dy[k] = sigma * rng.nextGaussian();
        }
        return deform && sigma > 0 ? deform(s, grid, dx, dy, imageFill) : s;
    }

    /**
     * The sample deformed by the given control vectors, deterministically (see the class comment).
     *
     * @param grid control points per side, >= 2
     * @param dx   grid*grid horizontal displacements in pixels, row-major: {@code dx[j*grid + i]} belongs to the
     *             control point i-th from the left in the j-th row from the top; positive values read from the right,
     *             moving the picture left
     * @param dy   grid*grid vertical displacements in pixels, likewise; positive values read from below
     */
    public static Sample deform(Sample s, int grid, double[] dx, double[] dy, float imageFill) {
        double[][] field = field(s.height(), s.width(), grid, dx, dy);
        return Warp.displace(s, field[0], field[1], imageFill);
    }

    /**
     * The per-pixel displacements of an {@code height x width} image interpolated from the control vectors:
     * {@code {dx, dy}}, each {@code height*width} values, row-major. Separable: the bicubic weights of every column and
     * of every row are computed once; each row first interpolates the grid's rows to one value per grid column, then
     * each pixel interpolates those.
     */
    static double[][] field(int height, int width, int grid, double[] dx, double[] dy) {
        if (grid < 2 || dx.length != grid * grid || dy.length != grid * grid) {
            throw new IllegalArgumentException("a " + grid + "x" + grid + " displacement grid needs " + grid + " >= 2"
                    + " and grid*grid values in dx and dy, got " + dx.length + " and " + dy.length);
        }
        Taps columns = Taps.of(width, grid);
        Taps rows = Taps.of(height, grid);
        double[] fx = new double[height * width];
        double[] fy = new double[height * width];
        double[] rowDx = new double[grid];
        double[] rowDy = new double[grid];
        for (int y = 0; y < height; y++) {
            for (int i = 0; i < grid; i++) {
                double ax = 0;
                double ay = 0;
                for (int m = 0; m < 4; m++) {
                    int k = rows.index[4 * y + m] * grid + i;
                    double wt = rows.weight[4 * y + m];
                    ax += wt * dx[k];
                    ay += wt * dy[k];
                }
                rowDx[i] = ax;
                rowDy[i] = ay;
            }
            for (int x = 0; x < width; x++) {
                double ax = 0;
                double ay = 0;
                for (int m = 0; m < 4; m++) {
                    int k = columns.index[4 * x + m];
                    double wt = columns.weight[4 * x + m];
                    ax += wt * rowDx[k];
                    ay += wt * rowDy[k];
                }
                fx[y * width + x] = ax;
                fy[y * width + x] = ay;
            }
        }
        return new double[][]{fx, fy};
    }

    /**
     * The cubic convolution taps along one axis of {@code n} pixels over {@code grid} control points: pixel p lies at
     * grid coordinate {@code u = p*(grid-1)/(n-1)} and takes control points {@code floor(u)-1 .. floor(u)+2} (clamped
     * to the grid: edge points repeat), {@code index[4p..4p+3]}, with weights {@code weight[4p..4p+3]}.
     */
    private record Taps(int[] index, double[] weight) {

        /** Keys' kernel parameter: -0.5 is Catmull-Rom, exact for quadratics. */
        private static final double A = -0.5;

        static Taps of(int n, int grid) {
            int[] index = new int[4 * n];
            double[] weight = new double[4 * n];
            for (int p = 0; p < n; p++) {
                double u = n == 1 ? 0 : (double) p * (grid - 1) / (n - 1);
                int k = Math.min((int) u, grid - 1);
                double t = u - k;
                double t2 = t * t;
                double t3 = t2 * t;
                weight[4 * p] = A * (t3 - 2 * t2 + t);
                weight[4 * p + 1] = (A + 2) * t3 - (A + 3) * t2 + 1;
                weight[4 * p + 2] = -(A + 2) * t3 + (2 * A + 3) * t2 - A * t;
                weight[4 * p + 3] = -A * (t3 - t2);
                for (int m = 0; m < 4; m++) {
                    index[4 * p + m] = Math.min(Math.max(k - 1 + m, 0), grid - 1);
                }
            }
            return new Taps(index, weight);
        }
    }
}
