import { join } from 'node:path';
import { featuresUpTo, TABULAR_FILES, type Framework } from '../framework';

/**
 * ONNX: a scikit-learn model exported to ONNX and served with onnxruntime alone, so the server
 * stays the same for any framework that exports ONNX.
 */
export const onnx: Framework = {
  files: [TABULAR_FILES, join(__dirname, 'files')],
  examples: ['batch', 'benign', 'malignant'],
  systemPackages: [],
  dockerPipArgs: '',
  template: {
    artifact: 'model.onnx',
    instanceDescription: "one or more tumours, by the 30 measurements of scikit-learn's breast cancer data",
    // scikit-learn's breast cancer feature names, spaces made "_" so each is an identifier.
    features: featuresUpTo({
      mean_radius: 57,
      mean_texture: 79,
      mean_perimeter: 377,
      mean_area: 5002,
      mean_smoothness: 0.4,
      mean_compactness: 0.7,
      mean_concavity: 0.9,
      mean_concave_points: 0.5,
      mean_symmetry: 0.7,
      mean_fractal_dimension: 0.2,
      radius_error: 5.8,
      texture_error: 9.8,
      perimeter_error: 44,
      area_error: 1085,
      smoothness_error: 0.1,
      compactness_error: 0.3,
      concavity_error: 0.8,
      concave_points_error: 0.2,
      symmetry_error: 0.2,
      fractal_dimension_error: 0.1,
      worst_radius: 73,
      worst_texture: 100,
      worst_perimeter: 503,
      worst_area: 8508,
      worst_smoothness: 0.5,
      worst_compactness: 2.2,
      worst_concavity: 2.6,
      worst_concave_points: 0.6,
      worst_symmetry: 1.4,
      worst_fractal_dimension: 0.5,
    }),
    classes: ['malignant', 'benign'],
  },
};
