/** A customer as staff see them by default: masked, never plaintext. */
export interface CustomerView {
  id: string;
  merchantId: string;
  name: string;
  phone: string;
  address: string | null;
  idNumber: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface CustomerInput {
  name: string;
  phone: string;
  address?: string | undefined;
  idNumber?: string | undefined;
}

export type RevealableField = 'name' | 'phone' | 'address' | 'idNumber';
