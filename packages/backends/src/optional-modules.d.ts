// The webgpu backend is an optional peer dependency, so it may be absent when this
// package is type-checked. The probe imports it only to register the backend.
declare module '@tensorflow/tfjs-backend-webgpu';
