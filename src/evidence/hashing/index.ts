/**
 * Robust image hashes: a PDQ port with its dihedral variants, dHash and a
 * block-mean hash, with Hamming-distance helpers.
 */
export {
  DIHEDRAL_TRANSFORMS,
  jaroszDownsample64,
  pdqDihedral,
  pdqDihedralFromHash,
  pdqHash,
  type DihedralTransform,
  type PdqDihedral,
  type PdqHash,
  type PdqOptions,
} from './pdq.js';
export { blockMeanHash, dHash256, dHash64 } from './dhash.js';
export { hammingDistance, hammingWeight, hashFromHex, hashToHex, popcount32 } from './hamming.js';
export {
  lumaFromRaster,
  reducedLumaFromRaster,
  reductionFactor,
  resampleArea,
  type LumaPlane,
} from './luma.js';
