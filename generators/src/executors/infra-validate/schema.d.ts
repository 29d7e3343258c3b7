export interface InfraValidateExecutorSchema {}
