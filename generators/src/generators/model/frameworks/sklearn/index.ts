import { join } from 'node:path';
import type { Framework } from '../framework';

/** scikit-learn: a logistic regression on iris, saved with joblib. */
export const sklearn: Framework = {
  files: [join(__dirname, 'files')],
  examples: ['batch', 'setosa', 'versicolor', 'virginica'],
  systemPackages: [],
  dockerPipArgs: '',
  template: {},
};
