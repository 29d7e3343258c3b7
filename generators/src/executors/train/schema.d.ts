export interface TrainExecutorSchema {
  outputPath?: string;
}
