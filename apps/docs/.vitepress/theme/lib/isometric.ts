/**
 * A tiny oblique projection for the guide's feature-map diagrams: x to the right, y down,
 * z (channels) receding up and to the right. Pure functions so the diagrams render to static
 * SVG at build time.
 */

/** How far one unit of depth moves a point right and up on screen. */
const DEPTH_X = 0.55;
const DEPTH_Y = 0.32;

/** A polygon ready for `<polygon :points>` with its fill. */
export interface Face {
  readonly points: string;
  readonly fill: string;
}

function point(x: number, y: number, z: number): string {
  return `${(x + z * DEPTH_X).toFixed(1)},${(y - z * DEPTH_Y).toFixed(1)}`;
}

/** Mixes a colour with white (`amount` 0 → unchanged, 1 → white) to shade a cuboid's sides. */
export function lighten(hex: string, amount: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const channel = (shift: number) => Math.round(((n >> shift) & 255) + (255 - ((n >> shift) & 255)) * amount);
  return `rgb(${channel(16)}, ${channel(8)}, ${channel(0)})`;
}

/**
 * The three visible faces (front, top, right side) of a cuboid whose front-top-left corner is
 * at (x, y, z), `width` wide, `height` tall and `depth` deep.
 */
export function cuboid(x: number, y: number, z: number, width: number, height: number, depth: number, fill: string): Face[] {
  return [
    { points: [point(x, y, z), point(x + width, y, z), point(x + width, y + height, z), point(x, y + height, z)].join(' '), fill },
    {
      points: [point(x, y, z), point(x + width, y, z), point(x + width, y, z + depth), point(x, y, z + depth)].join(' '),
      fill: lighten(fill, 0.35),
    },
    {
      points: [point(x + width, y, z), point(x + width, y, z + depth), point(x + width, y + height, z + depth), point(x + width, y + height, z)].join(
        ' ',
      ),
      fill: lighten(fill, 0.15),
    },
  ];
}

/**
 * A feature map drawn as one slab per channel, back to front so nearer slabs cover farther
 * ones. `colors[c]` colours channel c; a `gap` between slabs draws them as separate pieces
 * (the depthwise step's one-channel filters).
 */
export function featureMap(x: number, y: number, size: number, slab: number, colors: readonly string[], gap = 0): Face[] {
  const faces: Face[] = [];
  for (const [c, color] of [...colors.entries()].reverse()) faces.push(...cuboid(x, y, c * (slab + gap), size, size, slab, color));
  return faces;
}
