/**
 * EXIF orientations as elements of the eight-element symmetry group of the
 * rectangle, so HEIF's rotation (`irot`) and mirror (`imir`) properties can
 * be reported as the single EXIF value they amount to.
 */

/** A transform as a 2×2 integer matrix acting on (x, y) with y pointing down. */
type Matrix = readonly [number, number, number, number];

// Each EXIF value's transform from stored to displayed pixels.
const EXIF_MATRICES: readonly Matrix[] = [
  [1, 0, 0, 1], // 1 as stored
  [-1, 0, 0, 1], // 2 mirrored left-right
  [-1, 0, 0, -1], // 3 rotated 180°
  [1, 0, 0, -1], // 4 mirrored top-bottom
  [0, 1, 1, 0], // 5 transposed
  [0, -1, 1, 0], // 6 rotated 90° clockwise
  [0, -1, -1, 0], // 7 transversed
  [0, 1, -1, 0], // 8 rotated 90° anticlockwise
];

/** A HEIF transformative property, in the order the file associates it with the image. */
export type HeifTransform =
  { kind: 'irot'; quarterTurnsAnticlockwise: number } | { kind: 'imir'; axis: number };

function multiply(a: Matrix, b: Matrix): Matrix {
  return [
    a[0] * b[0] + a[1] * b[2],
    a[0] * b[1] + a[1] * b[3],
    a[2] * b[0] + a[3] * b[2],
    a[2] * b[1] + a[3] * b[3],
  ];
}

function exifOf(matrix: Matrix): number {
  const index = EXIF_MATRICES.findIndex((m) => m.every((value, i) => value === matrix[i]));
  return index + 1;
}

/** The EXIF orientation equal to applying `first`, then `second`. */
export function composeOrientations(first: number, second: number): number {
  return exifOf(multiply(matrixOf(second), matrixOf(first)));
}

/**
 * The EXIF orientation that HEIF `irot`/`imir` properties amount to, applied in
 * file order. `imir` axis 0 exchanges top and bottom, axis 1 left and right
 * (ISO/IEC 23008-12:2022 wording, as libheif reads it).
 */
export function orientationOfHeifTransforms(transforms: readonly HeifTransform[]): number {
  let orientation = 1;
  for (const transform of transforms) {
    const step =
      transform.kind === 'irot'
        ? [1, 8, 3, 6][transform.quarterTurnsAnticlockwise & 3]!
        : (transform.axis & 1) === 0
          ? 4
          : 2;
    orientation = composeOrientations(orientation, step);
  }
  return orientation;
}

/** True when the orientation swaps width and height. */
export function swapsAxes(orientation: number): boolean {
  return orientation >= 5 && orientation <= 8;
}

/** A valid EXIF orientation (1–8), treating anything else as 1, as viewers do. */
export function normalizeOrientation(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 8
    ? value
    : 1;
}

function matrixOf(orientation: number): Matrix {
  return EXIF_MATRICES[normalizeOrientation(orientation) - 1]!;
}
