export { createNodes } from './plugin/create-nodes';
