import { join } from 'node:path';
import { TABULAR_FILES, type Feature, type Framework } from '../framework';

const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/**
 * scikit-learn's digits: 8x8 images, each pixel a feature named pixel_<row>_<column>. A pixel is a
 * count of 0 to 16 by construction, so 16 is its maximum (not twice the largest value seen).
 */
const PIXELS: Feature[] = Array.from({ length: 64 }, (_, i) => ({ name: `pixel_${Math.floor(i / 8)}_${i % 8}`, minimum: 0, maximum: 16 }));

/** PyTorch: a small network on scikit-learn's digits, its state_dict served on the CPU. */
export const pytorch: Framework = {
  files: [TABULAR_FILES, join(__dirname, 'files')],
  examples: ['batch', ...DIGITS],
  systemPackages: [],
  // The CPU build of torch (about 200 MB) from PyTorch's own index: PyPI's default is the CUDA build
  // with several GB of nvidia wheels an inference image on CPU instances never uses.
  dockerPipArgs: ' --extra-index-url https://download.pytorch.org/whl/cpu',
  template: {
    artifact: 'model.pt',
    instanceDescription: "one or more 8x8 images of handwritten digits, by the 64 pixel intensities (0 to 16) of scikit-learn's digits data",
    features: PIXELS,
    classes: DIGITS,
  },
};
