import { join } from 'node:path';
import { featuresUpTo, TABULAR_FILES, type Framework } from '../framework';

/** LightGBM: gradient-boosted trees on scikit-learn's wine data, saved in LightGBM's text format. */
export const lightgbm: Framework = {
  files: [TABULAR_FILES, join(__dirname, 'files')],
  examples: ['batch', 'class_0', 'class_1', 'class_2'],
  // LightGBM's wheel links OpenMP's runtime, which python:3.11-slim lacks.
  systemPackages: ['libgomp1'],
  dockerPipArgs: '',
  template: {
    artifact: 'model.txt',
    instanceDescription: 'one or more wines, by the 13 chemical measurements of scikit-learn\'s wine data',
    // scikit-learn's wine feature names, "/" made "_" so each is an identifier.
    features: featuresUpTo({
      alcohol: 30,
      malic_acid: 11.6,
      ash: 6.5,
      alcalinity_of_ash: 60,
      magnesium: 324,
      total_phenols: 7.8,
      flavanoids: 10.2,
      nonflavanoid_phenols: 1.4,
      proanthocyanins: 7.2,
      color_intensity: 26,
      hue: 3.5,
      od280_od315_of_diluted_wines: 8,
      proline: 3360,
    }),
    classes: ['class_0', 'class_1', 'class_2'],
  },
};
