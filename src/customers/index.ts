export { createCustomerService, type CustomerService } from './service.js';
export type { CustomerView, CustomerInput, RevealableField } from './model.js';
