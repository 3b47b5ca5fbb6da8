import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { AdminIdentity } from '@vitrine/tenancy';
import { AdminOnly, CurrentAdmin } from '../api/admin-access';
import { ContractPriceAdminService } from './contract-price-admin.service';
import { PriceListAdminService } from './price-list-admin.service';
import {
  AdminPriceConnectionType,
  AdminPriceInput,
  AdminPriceKeyInput,
  AdminPriceListType,
  CreatePriceListInput,
  PriceListConnectionType,
  PriceSetResultType,
  UpdatePriceListInput,
} from './price-admin.types';

const COMPANY = { description: 'The company code.' };

/** Price lists and contract prices: read, create, change, set and remove prices. */
@Resolver()
export class PriceAdminResolver {
  constructor(
    private readonly lists: PriceListAdminService,
    private readonly contracts: ContractPriceAdminService,
  ) {}

  @AdminOnly()
  @Query(() => PriceListConnectionType, {
    description: 'Price lists by code, optionally of one currency.',
  })
  priceLists(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('currency', { type: () => String, nullable: true }) currency: string | null,
  ): Promise<PriceListConnectionType> {
    return this.lists.list(admin, { first: first ?? 50, after, currency });
  }

  @AdminOnly()
  @Query(() => AdminPriceListType, { nullable: true, description: 'A price list; null if none.' })
  priceList(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('code') code: string,
  ): Promise<AdminPriceListType | null> {
    return this.lists.get(admin, code);
  }

  @AdminOnly()
  @Query(() => AdminPriceConnectionType, {
    description: "A price list's prices by SKU, tier and start; NOT_FOUND for an unknown list.",
  })
  priceListEntries(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('code') code: string,
    @Args('sku', { type: () => String, nullable: true }) sku: string | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<AdminPriceConnectionType> {
    return this.lists.entries(admin, code, { sku, first: first ?? 50, after });
  }

  @AdminOnly()
  @Query(() => AdminPriceConnectionType, {
    description: "A company's contract prices by SKU, tier and start.",
  })
  contractPrices(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('tenant') tenant: string,
    @Args('company', COMPANY) company: string,
    @Args('sku', { type: () => String, nullable: true }) sku: string | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<AdminPriceConnectionType> {
    return this.contracts.list(admin, tenant, company, { sku, first: first ?? 50, after });
  }

  @AdminOnly()
  @Mutation(() => AdminPriceListType)
  createPriceList(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('input') input: CreatePriceListInput,
  ): Promise<AdminPriceListType> {
    return this.lists.create(admin, input);
  }

  @AdminOnly()
  @Mutation(() => AdminPriceListType, {
    description: 'A validity change reprices every tenant using the list at once.',
  })
  updatePriceList(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('code') code: string,
    @Args('input') input: UpdatePriceListInput,
  ): Promise<AdminPriceListType> {
    return this.lists.update(admin, code, input);
  }

  @AdminOnly()
  @Mutation(() => PriceSetResultType, {
    description:
      'Creates or updates prices by (sku, minQuantity, validFrom); at most 1,000 per call, all or nothing.',
  })
  setPriceListPrices(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('code') code: string,
    @Args('prices', { type: () => [AdminPriceInput] }) prices: AdminPriceInput[],
  ): Promise<PriceSetResultType> {
    return this.lists.setPrices(admin, code, prices);
  }

  @AdminOnly()
  @Mutation(() => Int, { description: 'Removes prices by key; answers how many were removed.' })
  removePriceListPrices(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('code') code: string,
    @Args('keys', { type: () => [AdminPriceKeyInput] }) keys: AdminPriceKeyInput[],
  ): Promise<number> {
    return this.lists.removePrices(admin, code, keys);
  }

  @AdminOnly()
  @Mutation(() => PriceSetResultType, {
    description:
      "Creates or updates a company's contract prices by (sku, minQuantity, validFrom) in the tenant's currency; at most 1,000 per call, all or nothing.",
  })
  setContractPrices(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('tenant') tenant: string,
    @Args('company', COMPANY) company: string,
    @Args('prices', { type: () => [AdminPriceInput] }) prices: AdminPriceInput[],
  ): Promise<PriceSetResultType> {
    return this.contracts.setPrices(admin, tenant, company, prices);
  }

  @AdminOnly()
  @Mutation(() => Int, {
    description: "Removes a company's contract prices by key; answers how many were removed.",
  })
  removeContractPrices(
    @CurrentAdmin() admin: AdminIdentity,
    @Args('tenant') tenant: string,
    @Args('company', COMPANY) company: string,
    @Args('keys', { type: () => [AdminPriceKeyInput] }) keys: AdminPriceKeyInput[],
  ): Promise<number> {
    return this.contracts.removePrices(admin, tenant, company, keys);
  }
}
