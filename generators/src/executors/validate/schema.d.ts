/** Options of the `validate` executor; mirrors schema.json. */
export interface ValidateExecutorSchema {
  base?: string;
  allowBreaking?: boolean;
  url?: string;
  live?: 'auto' | 'always' | 'never';
  tolerance?: number;
  parts?: ('static' | 'compatibility' | 'live')[];
}
